"""In a real browser at phone width (375 px, as inside WeChat): filter by township, search a village,
open its page and its printable notice with the QR code."""

import pytest

from scoring.models import Round
from scoring.services import round_compute_results

from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser


def test_a_resident_reads_the_index_on_a_phone(cast, live_server, page):
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(round_, cast.village_a, "92")
    fill_scores(round_, cast.village_b, "78")
    round_compute_results(round_)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator("svg.bars rect").count() >= 2

    page.get_by_label("镇街").select_option(cast.township_a.code)
    page.get_by_role("searchbox", name="村居").fill("石曲")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/index/2025/**")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 1 and "92.00" in rows.first.inner_text()

    page.get_by_role("link", name="石曲村").click()
    page.wait_for_url(f"**/index/2025/village/{cast.village_a.code}/")
    assert "班子清廉" in page.locator("main").inner_text()
    page.get_by_role("link", name="打印公示（含二维码）").click()
    page.wait_for_url("**/notice/")
    qr = page.locator("img.qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0
