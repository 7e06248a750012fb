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
