"""In a real browser: staff read each indicator's name and maximum in the grid's heads, and the village's
name and its total stay in view while the grid scrolls sideways, on a 1366 px screen and on a phone (where
the grid scrolls inside its own box, never the page)."""

import pytest

from ..browser_helpers import screenshot, sign_in
from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser


@pytest.fixture
def grid_url(cast, live_server):
    round_ = make_round()
    villages = [cast.village_a] + [VillageFactory(township=cast.township_a) for _ in range(7)]
    for number, village in enumerate(villages):
        fill_scores(round_, village, str(100 - 3 * number))
    return f"{live_server.url}/scoring/rounds/{round_.pk}/entry/{cast.township_a.code}"


def box(locator) -> dict:
    return locator.bounding_box()


def in_view(item: dict, frame: dict) -> bool:
    return item["x"] >= frame["x"] - 0.5 and item["x"] + item["width"] <= frame["x"] + frame["width"] + 0.5


def scroll_to_the_far_right(page) -> dict:
    """Scrolls the grid's own box to its right end; its size and how far it scrolled."""
    return page.locator(".grid-wrap").evaluate(
        "wrap => { wrap.scrollLeft = wrap.scrollWidth;"
        " return {scrolled: wrap.scrollLeft, width: wrap.scrollWidth, visible: wrap.clientWidth}; }"
    )


def shoot(page, name: str) -> None:
    screenshot(page, "entry-grid", name.removesuffix(".png"))


def test_at_1366_px_the_heads_name_each_indicator_and_the_village_and_total_stay_in_view(
    cast, live_server, page, grid_url
):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server, "staff")
    page.goto(grid_url)
    heads = page.locator(".grid thead th")
    assert heads.nth(1).inner_text().split() == ["BZ1", "落实全面从严治党主体责任", "满分5"]
    assert heads.nth(3).inner_text().split() == ["BZ3", "村级组织换届风气", "满分4"]
    assert heads.last.inner_text() == "总分"
    shoot(page, "grid-1366.png")

    scroll = scroll_to_the_far_right(page)
    assert scroll["width"] > 2 * scroll["visible"] and scroll["scrolled"] == scroll["width"] - scroll["visible"]
    viewport = {"x": 0, "width": 1366}
    frame = box(page.locator(".grid-wrap"))
    first_row = page.locator(".grid tbody tr").first
    village, total = first_row.locator("th"), first_row.locator("td.total")
    assert village.inner_text() == "石曲村" and total.inner_text() == "100.00 A"
    for cell in (village, total, page.locator(".grid thead th").first, heads.last):
        assert in_view(box(cell), viewport) and in_view(box(cell), frame)
    # The first indicator's cells went by, under the village column.
    assert box(first_row.locator("td").first)["x"] < box(village)["x"]
    # The last indicator's cell stands just before the total, not hidden under it.
    assert box(first_row.locator("td.cell").last)["x"] + box(first_row.locator("td.cell").last)["width"] <= (
        box(total)["x"] + 0.5
    )
    shoot(page, "grid-1366-scrolled-right.png")


def test_at_375_px_the_grid_scrolls_in_its_own_box_and_the_page_never_sideways(cast, live_server, page, grid_url):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, live_server, "staff")
    page.goto(grid_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "grid-375.png")
    scroll = scroll_to_the_far_right(page)
    assert scroll["scrolled"] > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.evaluate("window.scrollX") == 0
    first_row = page.locator(".grid tbody tr").first
    for cell in (first_row.locator("th"), first_row.locator("td.total")):
        assert in_view(box(cell), {"x": 0, "width": 375})
    shoot(page, "grid-375-scrolled-right.png")
