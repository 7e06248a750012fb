"""In a real browser, a grassroots station rated 群众满意基层站所 on the stars' engine: the township secretary
files its self-assessment on a phone, the county's staff enter the villagers' satisfaction, the leader
decides on a desk screen, and the public page shows it in publicity."""

import pytest
from django.utils import timezone

from stars.criteria_services import star_criteria_default
from stars.models import Subject

from ..browser_helpers import screenshot, sign_in
from ..factories import StationFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESK = {"width": 1366, "height": 800}


def test_a_station_from_self_assessment_on_a_phone_to_publicity(cast, live_server, page):
    year = timezone.localdate().year
    star_criteria_default(year, Subject.STATION)
    station = StationFactory(township=cast.township_a, name="路桥市场监管所")

    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "secretary_a")
    page.goto(f"{live_server.url}/star-rating/stations/")
    page.get_by_role("link", name=station.name).click()
    assert "合格线：85.00 分" in page.content()
    for row in page.locator("form table tbody tr").all():
        row.locator("input[name^=item_]").fill(row.locator("td.num").inner_text())
    screenshot(page, "stars", "station-self-assessment-phone")
    # Headless Chromium at 375 px lands a click on the form, not the button, while a number field has the
    # focus (the target shifts between press and release); a thumb leaves the field first, so does this.
    page.evaluate("document.activeElement.blur()")
    page.get_by_role("button", name="保存并提交申报").click()
    page.get_by_text("待区纪委评审").first.wait_for()
    application_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size(DESK)
    sign_in(page, live_server, "staff")
    page.goto(application_url)
    page.locator("input[name=satisfaction]").fill("93.5")
    page.locator("input[name=satisfaction_responses]").fill("150")
    page.locator("input[name=satisfaction_source]").fill("区纪委电话回访村民")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已保存").first.wait_for()
    assert "93.50%" in page.locator("#satisfaction").inner_text()

    sign_in(page, live_server, "leader")
    page.goto(application_url)
    page.locator("textarea[name=opinion]").first.fill("群众满意度高，同意评定")
    page.locator("input[name=points]").fill("100")
    page.get_by_role("button", name="评定并公示").click()
    page.get_by_text("公示中").first.wait_for()
    screenshot(page, "stars", "station-decided-desk")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/stars/{year}/townships-and-stations/")
    row = page.locator("#stations + table tbody tr", has_text=station.name)
    assert "群众满意基层站所" in row.inner_text() and "公示中" in row.inner_text()
    assert "群众满意度高" not in page.content()  # the leader's opinion stays inside
    screenshot(page, "stars", "public-townships-and-stations")
