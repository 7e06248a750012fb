"""In a real browser: staff enter a score in the grid and watch the grade change; after publication the
township secretary sees it in the colour-coded list."""

import pytest

from scoring.services import round_approve, round_publish, round_submit

from ..browser_helpers import sign_in
from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser


def test_staff_enter_a_score_and_the_secretary_sees_it_after_publication(cast, live_server, page):
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "90.5")
    fill_scores(round_, cast.village_b, "85")

    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/scoring/rounds/{round_.pk}/entry/{cast.township_a.code}")
    total = page.locator(f"#total-{cast.village_a.code}")
    assert "90.50" in total.inner_text() and total.locator(".grade-A").count() == 1

    cell = page.locator(f"#cell-{cast.village_a.code}-MF4")
    cell.locator("input[name=points]").fill("3")
    cell.locator("input[name=points]").press("Tab")
    reason = page.locator(f"#cell-{cast.village_a.code}-MF4 input[name=reason]")
    reason.wait_for()
    assert "扣分必须填写理由" in page.locator(f"#cell-{cast.village_a.code}-MF4").inner_text()
    reason.fill("红白喜事大操大办1起")
    reason.press("Tab")
    page.locator(f"#total-{cast.village_a.code} .grade-B").wait_for()
    assert "88.50" in page.locator(f"#total-{cast.village_a.code}").inner_text()

    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    round_publish(round_=round_, acting_user=cast.users["leader"])

    page.context.clear_cookies()
    sign_in(page, live_server, "secretary_a")
    page.goto(f"{live_server.url}/scoring/")
    row = page.locator("table.results tbody tr", has_text=cast.village_a.name)
    assert row.locator(".grade-B").count() == 1 and "88.50" in row.inner_text()
    assert cast.village_b.name not in page.locator("table.results").inner_text()


def test_on_a_phone_the_secretary_reads_the_list_as_cards_that_fit_the_screen(cast, live_server, page):
    from ..factories import VillageFactory

    round_ = make_round("2025", status="published")
    long_name = VillageFactory(township=cast.township_a, name="螺洋街道下辖某某某社区居民委员会")
    for village, total in ((cast.village_a, "93"), (long_name, "78.5")):
        fill_scores(round_, village, total)
    from scoring.services import round_compute_results

    round_compute_results(round_)
    sign_in(page, live_server, "secretary_a")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/scoring/")
    page.screenshot(path="test-artifacts/secretary-list-375.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not page.locator("table.results thead").is_visible()
    card = page.locator("table.results tbody tr", has_text=long_name.name)
    title = card.locator("td.card-title a")
    assert title.bounding_box()["height"] >= 44  # a touch target, and the name is not one character a line
    total = card.locator("td", has_text="78.50")
    label = total.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"总分："' and card.locator(".grade-C").count() == 1
    title.click()
    page.wait_for_url(f"**/scoring/village/{long_name.code}/*")

    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/scoring/")
    assert page.locator("table.results thead").is_visible()
