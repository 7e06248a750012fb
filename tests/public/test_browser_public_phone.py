"""The public pages in Chromium on a phone (375 px, as inside WeChat) and on a desk (1366 px): the index,
a village's page, its printable notice and the stars list fit the screen (nothing scrolls sideways, not
even inside a box), the chart's text is drawn at 12 px at least and inside its bar, grade B is yellow with
dark text, and the notice, printed without background graphics, still shows its yellow and ends with the
issuing commission and date. Screenshots go to test-artifacts/public/."""

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from scoring.models import Round
from scoring.services import round_compute_results

from ..browser_helpers import screenshot
from ..conftest import ARTIFACTS
from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import fixed_in_bulk

pytestmark = pytest.mark.browser

YELLOW, DARK_INK = "rgb(242, 194, 0)", "rgb(31, 35, 40)"
WIDTHS = [375, 1366]

# Boxes that scroll sideways: the page itself, or any element whose content is wider than it and may scroll.
SIDEWAYS = """() => {
  const scrolling = [...document.querySelectorAll('body *')].filter(e => {
    const overflow = getComputedStyle(e).overflowX;
    return (overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1;
  }).map(e => e.className || e.tagName);
  return {page: document.documentElement.scrollWidth, boxes: scrolling};
}"""

# Each chart text's size as drawn (its CSS size times the SVG's scale on screen), its box, and the box of
# the bar it labels (its previous sibling) when it is a bar's label.
CHART_TEXT = """() => [...document.querySelectorAll('.chart svg text')].map(t => {
  const box = t.getBoundingClientRect(), bar = t.classList.contains('bar-text') ? t.previousElementSibling : null;
  const svg = t.ownerSVGElement.getBoundingClientRect();
  return {
    text: t.textContent, drawn: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, height: box.height,
    inside: bar ? box.left >= bar.getBoundingClientRect().left && box.right <= bar.getBoundingClientRect().right
                : box.left >= svg.left - 0.5 && box.right <= svg.right + 0.5,
  };
})"""


def colours(locator) -> tuple[str, str]:
    return tuple(locator.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"))


@pytest.fixture
def published(cast):
    """A published 2025 index: township A 3 A, 4 B, 1 C (the B village named 黄岙村); township B 1 A, 2 B,
    3 C; 60 fixed star levels, 55 of them in township A."""
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    Round.objects.filter(pk=round_.pk).update(
        published_at=datetime(2025, 3, 17, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    yellow = VillageFactory(township=cast.township_a, name="黄岙村")
    plan = [(cast.village_a, "92"), (yellow, "85"), (cast.village_b, "75")]
    plan += [(VillageFactory(township=cast.township_a), total) for total in ["95", "90.5", "88", "81", "80", "70"]]
    plan += [(VillageFactory(township=cast.township_b), total) for total in ["91", "86", "82", "79", "60"]]
    for village, total in plan:
        fill_scores(round_, village, total)
    round_compute_results(round_)
    fixed_in_bulk(cast, in_a=55, in_b=5)
    return yellow


def look(page, width: int, name: str) -> None:
    """Nothing scrolls sideways; a screenshot of the whole page to look at."""
    assert page.evaluate(SIDEWAYS) == {"page": width, "boxes": []}, name
    screenshot(page, "public", f"{name}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_pages_fit_the_screen_with_a_readable_chart_and_a_yellow_b(
    published, cast, live_server, page, width
):
    page.set_viewport_size({"width": width, "height": 800})

    page.goto(f"{live_server.url}/")
    texts = page.evaluate(CHART_TEXT)
    assert len(texts) == 2 * 2 + 5  # per township its name and counts; five shares wide enough for a label
    assert min(text["drawn"] for text in texts) >= 12 and min(text["height"] for text in texts) >= 12
    assert [text["text"] for text in texts if not text["inside"]] == []
    assert page.locator(".chart svg rect.bar-B").first.evaluate("e => getComputedStyle(e).fill") == YELLOW
    assert colours(page.locator(".grade-summary .grade-B")) == (YELLOW, DARK_INK)
    row = page.locator("table.results tbody tr", has_text="黄岙村")
    assert colours(row.locator(".grade-B")) == (YELLOW, DARK_INK) and "85.00" in row.inner_text()
    look(page, width, "index")

    page.get_by_role("link", name="黄岙村").click()
    page.wait_for_url(f"**/index/2025/village/{published.code}/")
    assert colours(page.locator(".big-grade .grade-B")) == (YELLOW, DARK_INK)
    look(page, width, "village")

    page.get_by_role("link", name="打印公示（含二维码）").click()
    page.wait_for_url("**/notice/")
    assert colours(page.locator(".notice-grade .grade-B")) == (YELLOW, DARK_INK)
    assert page.locator(".notice-issuer p").all_inner_texts() == ["路桥区纪委监委", "2025年3月17日"]
    look(page, width, "notice")

    page.goto(f"{live_server.url}/stars/2025/")
    assert "已评定60个村（社区）。" in page.locator("main").inner_text()
    look(page, width, "stars")
    page.get_by_label("镇街").select_option(cast.township_a.code)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(lambda url: url.endswith(f"/stars/2025/?t={cast.township_a.code}"))
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(lambda url: url.endswith(f"/stars/2025/?t={cast.township_a.code}&page=2"))
    assert page.locator("table.cards tbody tr").count() == 5
    assert page.locator(".pagination").inner_text().count("第2页，共2页") == 1
    look(page, width, "stars-township-page-2")


def test_the_printed_notice_keeps_its_yellow_without_background_graphics(published, live_server, page, tmp_path):
    """Browsers leave backgrounds out of a print unless asked; the grade's colour is the notice's message."""
    page.goto(f"{live_server.url}/index/2025/village/{published.code}/notice/")
    page.emulate_media(media="print")
    pdf = tmp_path / "notice.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", str(pdf), str(tmp_path / "notice")], check=True)
    picture = Image.open(tmp_path / "notice.png").convert("RGB")
    (ARTIFACTS / "public").mkdir(parents=True, exist_ok=True)
    picture.save(ARTIFACTS / "public" / "notice-printed.png")
    yellow = sum(count for count, (r, g, b) in picture.getcolors(1 << 24) if r > 220 and 170 < g < 215 and b < 40)
    assert yellow > 100  # the badge's yellow, about 40×30 px at 40 dpi
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "路桥区纪委监委" in text and "2025年3月17日" in text
