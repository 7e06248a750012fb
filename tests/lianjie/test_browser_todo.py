"""In a real browser, on a phone (375 px) and on a desk (1366 px): a township secretary and a leader sign in
and land on their to-do page, read the counts in its header, and open a thing to do with a thumb-sized
link; nothing on the page is wider than the screen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from petitions import services as petition_services
from scoring.models import Round
from stars import services as star_services

from ..browser_helpers import screenshot, sign_in
from ..inspection_helpers import finding, inspection
from ..petition_helpers import register
from ..scoring_helpers import make_round
from ..star_helpers import filed

pytestmark = pytest.mark.browser

WIDTHS = (375, 1366)


def shoot(page, name: str) -> None:
    screenshot(page, "todo", name)


def counts(page) -> dict[str, int]:
    return {
        element.get_attribute("id").removeprefix("count-"): int(element.inner_text())
        for element in page.locator(".todo-summary .todo-count").all()
    }


def assert_fits_and_links_are_thumb_sized(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.locator(".todo-summary a, .todo-lines a, .todo-more a").all()
    assert links
    for link in links:
        box = link.bounding_box()
        assert box["height"] >= 44, link.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_secretary_lands_on_the_to_do_page_and_opens_an_overdue_finding(cast, year_2025, live_server, page, width):
    today = timezone.localdate()
    late = finding(
        cast,
        inspection(cast, starts_on=today - timedelta(days=40)),
        found_on=today - timedelta(days=30),
        due_on=today - timedelta(days=2),
        description="村集体资金坐收坐支，未纳入村账镇代理",
    )
    filed(cast, 3)
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, "secretary_a")  # lands on /workspace/
    assert page.locator("h1").inner_text() == "今日待办"
    assert page.locator("#todo-total").inner_text() == "共6项待办"
    assert counts(page) == {
        "findings": 1,
        "plans": 0,
        "diagnoses": 3,
        "rectification": 1,
        "applications": 1,
        "objections": 0,
        "publicity": 0,
        "decisions_returned": 0,
    }
    assert page.locator("#todo-plans").inner_text().endswith("没有待办。")
    assert_fits_and_links_are_thumb_sized(page, width)
    shoot(page, f"secretary-{width}")
    line = page.locator("#todo-findings .todo-lines a")
    assert "逾期" in line.inner_text()
    line.click()
    page.wait_for_url(f"{live_server.url}/inspections/findings/{late.pk}/")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_leader_lands_on_the_to_do_page_with_what_waits_for_a_decision(cast, live_server, page, width):
    today = timezone.localdate()
    waiting = make_round("2025", status=Round.Status.SUBMITTED)
    star_services.application_forward(
        application=filed(cast, 4),
        acting_user=cast.users["secretary_a"],
        opinion="同意上报",
        points=Decimal("97"),
        level=4,
    )
    petition_services.case_list(
        petition=register(cast, received_on=today - timedelta(days=90)),
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道纪委",
        measures="包案化解",
        deadline=today + timedelta(days=1),
        on=today - timedelta(days=30),
    )
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, "leader")  # password and second factor, then the to-do page
    assert page.locator("#todo-total").inner_text() == "共3项待办"
    assert counts(page) == {
        "rounds": 1,
        "district_stars": 1,
        "objections": 0,
        "extensions": 0,
        "listed": 1,
        "work_plan": 0,
    }
    assert_fits_and_links_are_thumb_sized(page, width)
    shoot(page, f"leader-{width}")
    page.locator("#todo-rounds .todo-lines a").click()
    page.wait_for_url(f"{live_server.url}/scoring/rounds/{waiting.pk}/")
