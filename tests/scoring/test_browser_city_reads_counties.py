"""In a real browser: the city's staff choose a county on the results page and read its villages."""

import pytest

from scoring.models import Round
from scoring.services import round_compute_results

from ..browser_helpers import screenshot, sign_in
from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser


def test_the_city_staff_choose_a_county_on_the_results_page(second_county, live_server, page):
    cast = second_county
    a = make_round("2025", status=Round.Status.PUBLISHED)
    b = make_round("2025", status=Round.Status.PUBLISHED, district=cast.township_c.district)
    fill_scores(a, cast.village_a, "92")
    fill_scores(b, cast.village_c, "85")
    round_compute_results(a)
    round_compute_results(b)

    sign_in(page, live_server, "city_staff")
    page.goto(f"{live_server.url}/scoring/")
    assert "黄岩区" in page.locator("h1").inner_text()
    page.get_by_label("区县").select_option("331004")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/scoring/?county=331004")
    assert "路桥区" in page.locator("h1").inner_text()
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2 and "石曲村" in rows.first.inner_text()
    screenshot(page, "city-reads-counties", "results-1280")
    page.goto(f"{live_server.url}/scoring/rounds/")
    assert page.locator("table tbody tr").count() == 2
    assert "新建评分轮次" not in page.locator("main").inner_text()  # the city opens no round
    screenshot(page, "city-reads-counties", "rounds-1280")
