"""The city's pages on a phone (375 px) and a desk: nothing wider than the screen, every control a touch
target on the phone; screenshots under test-artifacts/cities/ to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cities import services
from cities.models import CountyStep, Step

from ..browser_helpers import screenshot, sign_in
from ..lianjie.test_browser_secretary_phone import MEASURE, PHONE

pytestmark = pytest.mark.browser


def pages(year: int, step: CountyStep) -> list[str]:
    return [
        "/city/2025/",
        f"/city/five/{year}/",
        f"/city/five/{year}/331004/",
        f"/city/steps/{step.pk}/",
    ]


def test_the_citys_pages_fit_a_phone_and_a_desk(city_year, live_server, page):
    cast = city_year
    today = timezone.localdate()
    programme = services.programme_create(
        city=cast.township_a.district.city,
        year=today.year,
        due_dates=dict.fromkeys(Step.values, today + timedelta(days=30)),
        acting_user=cast.users["city_staff"],
    )
    CountyStep.objects.filter(district__code="331003", step=Step.SURVEY).update(due_on=today - timedelta(days=2))
    services.visit_record(
        programme=programme,
        district=cast.township_a.district,
        visited_on=today,
        checked="抽查三个村的自评材料和《考评标准》公开情况",
        problems=[{"description": "部分村自评材料不全，未附佐证", "due_on": today + timedelta(days=20)}],
        acting_user=cast.users["city_staff"],
    )
    plan = CountyStep.objects.get(district__code="331004", step=Step.PLAN)
    sign_in(page, live_server, "city_staff")
    problems = []
    for width, label in ((PHONE["width"], "phone"), (1366, "desk")):
        page.set_viewport_size({"width": width, "height": 800})
        for number, path in enumerate(pages(today.year, plan)):
            page.goto(live_server.url + path)
            found = page.evaluate(MEASURE)
            if found["scrollWidth"] > found["innerWidth"]:
                problems.append(f"{label} {path}: {found['scrollWidth']} px wide: {found['wide'][:3]}")
            if label == "phone" and found["low"]:
                problems.append(f"{label} {path}: low controls {found['low'][:3]}")
            screenshot(page, "cities", f"{label}-{number}")
    # The county's staff report their work plan on a phone: its two documents' upload and completion.
    sign_in(page, live_server, "staff")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/city/steps/{plan.pk}/")
    found = page.evaluate(MEASURE)
    assert (found["scrollWidth"], found["low"]) == (PHONE["width"], [])
    assert (
        page.locator("#completion-refused").inner_text() == "工作方案须上传《实施办法》和《考评标准》后方可标记完成。"
    )
    screenshot(page, "cities", "phone-staff-plan")
    assert problems == []
