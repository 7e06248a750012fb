"""In a real browser at phone width: a city's public site lists each county's index, and a resident
opens a county's index and a village of it."""

import pytest

from scoring.models import Round
from scoring.services import round_compute_results

from ..browser_helpers import screenshot
from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser


def test_a_resident_chooses_a_county_on_a_phone(second_county, live_server, page):
    cast = second_county
    a = make_round("2025", status=Round.Status.PUBLISHED)
    b = make_round("2025", status=Round.Status.PUBLISHED, district=cast.township_c.district)
    fill_scores(a, cast.village_a, "92")
    fill_scores(a, cast.village_b, "78")
    fill_scores(b, cast.village_c, "85")
    round_compute_results(a)
    round_compute_results(b)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "public-counties", "counties-375")
    page.get_by_role("link", name="黄岩区").click()
    page.wait_for_url("**/index/2025/?county=331003")
    assert page.locator("h1").inner_text() == "2025年度村居清廉指数 · 黄岩区"
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 1 and "85.00" in rows.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "public-counties", "county-index-375")
    page.get_by_role("link", name="CANARY-黄岩金丝雀村").click()
    page.wait_for_url(f"**/index/2025/village/{cast.village_c.code}/")
    page.get_by_role("link", name="返回列表").click()
    page.wait_for_url("**/index/2025/?county=331003&t=331003001")
    assert page.locator("table.results tbody tr").count() == 1
