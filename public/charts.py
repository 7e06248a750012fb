"""The public index's chart of grade shares per township, drawn for a phone as for a desk.

The SVG has no viewBox, so its text keeps its CSS size whatever the screen: the report's chart
(scoring.charts), scaled from its 630 units into a 375 px phone, drew its 13-unit names 7 px high. Bars are
percentages of the width instead, each township's name and counts on a line above its bar. Colours come
from scoring.charts, as in the PDFs. Built with plain strings, as that module explains."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scoring.charts import GRADE_FILL, LABEL_FILL
from scoring.selectors import TownshipShares

ROW_HEIGHT = 50
NAME_Y, BAR_Y, BAR_HEIGHT, BAR_TEXT_Y = 17, 24, 22, 40
# A share narrower than this has no room for its "B 12%" at 12 px when the chart is 320 px wide (a 375 px
# phone); its count stays on the line above.
LABELLED_SHARE_MIN = 15


def _bar(name: str, grade: str, x: float, width: float, share: float) -> str:
    rect = (
        f'<rect x="{x}%" y="{BAR_Y}" width="{width}%" height="{BAR_HEIGHT}" class="bar bar-{grade}"'
        f' fill="{GRADE_FILL[grade]}"><title>{name} {grade} {share}%</title></rect>'
    )
    if share < LABELLED_SHARE_MIN:
        return rect
    return (
        f'{rect}<text x="{x}%" dx="5" y="{BAR_TEXT_Y}" class="bar-text" fill="{LABEL_FILL[grade]}">'
        f"{grade} {round(share)}%</text>"
    )


def _row(index: int, line: TownshipShares) -> str:
    name = escape(line.name)
    counts = " · ".join(f"{grade} {count}" for grade, count in line.counts.items())
    bars = "".join(
        _bar(name, grade, x, width, share) for grade, x, width, share in line.bars(left=0, width=100) if width
    )
    return (
        f'<g transform="translate(0 {index * ROW_HEIGHT})"><text x="0" y="{NAME_Y}" class="bar-label">{name}</text>'
        f'<text x="100%" y="{NAME_Y}" text-anchor="end" class="bar-counts">{counts}</text>{bars}</g>'
    )


def grade_shares_svg(shares: list[TownshipShares], label: str) -> SafeString:
    """各镇(街道)村居清廉指数等级数量占比: per township its name, its A/B/C counts and a stacked bar of the
    shares. Township names are escaped; every other value is a number or a grade letter."""
    rows = "".join(_row(index, line) for index, line in enumerate(shares))
    return mark_safe(  # noqa: S308 - built from escaped names and numbers only
        f'<svg width="100%" height="{len(shares) * ROW_HEIGHT}" role="img" aria-label="{escape(label)}" class="bars">'
        f"{rows}</svg>"
    )
