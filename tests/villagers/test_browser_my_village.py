"""In a real browser on a phone (375 px): a village's Party secretary signs in, finds 本村 in the menu and
reads the village's grade, 体检单, stars and findings; no part of the page is wider than the screen and
every control is a touch target. At 1366 px the same tables are tables again."""

import pytest

from .. import inspection_helpers, star_helpers
from ..browser_helpers import screenshot, sign_in
from ..lianjie.test_browser_secretary_phone import MEASURE, PHONE
from ..scoring_helpers import published_now

pytestmark = pytest.mark.browser


@pytest.fixture
def village_day(cast, village_cadres):
    published_now(cast)
    star_helpers.decided(cast, 4)
    inspection_helpers.finding(cast, description="村务公开栏未按期更新，三资台账不全，惠农补贴发放名单未公示")
    return cast


def test_a_village_secretary_reads_the_own_village_on_a_phone(village_day, live_server, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "village_a")

    page.get_by_role("link", name="本村").first.click()
    page.wait_for_url(f"{live_server.url}/my-village/")

    assert page.get_by_role("heading", name="石曲村").is_visible()
    text = page.locator("main").inner_text()
    for expected in ("清廉指数", "91", "体检单", "评星晋级", "村务公开栏未按期更新", "1 项问题尚未整改完毕"):
        assert expected in text, expected
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= found["innerWidth"]
    assert found["wide"] == [] and found["low"] == []
    screenshot(page, "villagers", "my-village-375")

    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator("table.checkup-table thead").is_visible()
    screenshot(page, "villagers", "my-village-1366")
