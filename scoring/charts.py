"""Charts drawn on the server as SVG: no script and no request leaves the server, and the same markup
serves the public page; the printed reports draw theirs for paper (reports.charts) in these grade colours.
Built with plain strings rather than a template loop or format_html, which at city size (118 townships)
took ten times as long."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import TownshipShares

ROW_HEIGHT, LABEL_WIDTH, BAR_WIDTH = 26, 120, 500
# A bar narrower than this has no room for its "A 40%" label.
LABELLED_BAR_MIN = 28
# Colours as attributes too, not only classes: WeasyPrint does not style SVG from the page's CSS.
GRADE_FILL = {"A": "#1a7f37", "B": "#f2c200", "C": "#b42318"}
LABEL_FILL = {"A": "#ffffff", "B": "#1f2328", "C": "#ffffff"}


def _bar(name: str, grade: str, x: float, width: float, share: float) -> str:
    label = (
        f'<text x="{round(x + 4, 2)}" y="17" class="bar-text" fill="{LABEL_FILL[grade]}">{grade} {round(share)}%</text>'
    )
    return (
        f'<rect x="{x}" y="3" width="{width}" height="18" class="bar bar-{grade}" fill="{GRADE_FILL[grade]}">'
        f"<title>{name} {grade} {share}%</title></rect>{label if width > LABELLED_BAR_MIN else ''}"
    )


def _row(index: int, line: TownshipShares) -> str:
    name = escape(line.name)
    bars = "".join(
        _bar(name, grade, x, width, share)
        for grade, x, width, share in line.bars(left=LABEL_WIDTH, width=BAR_WIDTH)
        if width
    )
    label = f'<text x="0" y="17" class="bar-label">{name}</text>'
    return f'<g transform="translate(0 {index * ROW_HEIGHT})">{label}{bars}</g>'


def grade_shares_svg(shares: list[TownshipShares], label: str) -> SafeString:
    """各镇(街道)村居清廉指数等级数量占比: one stacked bar of A/B/C shares per township. Township names are
    escaped; every other value is a number or a grade letter."""
    rows = "".join(_row(index, line) for index, line in enumerate(shares))
    width, height = LABEL_WIDTH + BAR_WIDTH + 10, len(shares) * ROW_HEIGHT
    return mark_safe(  # noqa: S308 - built from escaped names and numbers only
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" class="bars" width="100%">'
        f"{rows}</svg>"
    )
