"""The report's charts, drawn as SVG for print: one unit is one point of the A4 page's 174 mm text width,
so a font size here is the size on paper. Every label is measured before it is placed: a name too long
for its column wraps onto a second line, a share too wide for its bar segment is left out (the table
beside the chart gives every figure), and a bar's percentage always has room at the right.

WeasyPrint lays out an SVG as one block that never breaks across pages, so a long chart is drawn as
several SVGs of at most CHART_ROWS rows each. Text is escaped; every other value is a number."""

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from scoring.charts import GRADE_FILL, LABEL_FILL
from scoring.selectors import TownshipShares

from .city import ComparedFigure
from .content import CategoryLine

WIDTH = 493  # 174 mm in points
NAME_SIZE, FIGURE_SIZE = 9, 8
LINE = 11  # a line of 9 pt names
NAME_COLUMN_MAX = 120  # beyond this a name wraps
GAP = 6
CHART_ROWS = 30
HERE_FILL, DISTRICT_FILL = "#b42318", "#8c959f"
# The page's font, named again: an SVG does not inherit it, and the widths above are measured for it.
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"


def text_width(text: str, size: float) -> float:
    """The printed width of `text` in points: a CJK character is one em, anything else at most 0.62."""
    return size * sum(1.0 if ord(char) >= 0x2E80 else 0.62 for char in text)


def _wrap(name: str, width: float) -> list[str]:
    """The name cut into lines no wider than `width`, at any character (Chinese has no spaces)."""
    lines, line = [], ""
    for char in name:
        if line and text_width(line + char, NAME_SIZE) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def _name_column(names: Iterable[str]) -> float:
    return min(max((text_width(name, NAME_SIZE) for name in names), default=0), NAME_COLUMN_MAX)


def _name(lines: list[str], y_middle: float) -> str:
    """A name's lines, centred on the bar's middle."""
    first = y_middle - (len(lines) - 1) * LINE / 2 + NAME_SIZE * 0.35
    return "".join(
        f'<text x="0" y="{round(first + index * LINE, 2)}" font-size="{NAME_SIZE}">{escape(line)}</text>'
        for index, line in enumerate(lines)
    )


def _svg(rows: list[str], height: float, label: str) -> SafeString:
    return mark_safe(  # noqa: S308 - built from escaped names and numbers only
        f'<svg viewBox="0 0 {WIDTH} {round(height, 2)}" width="100%" font-family="{FONT}" role="img" '
        f'aria-label="{escape(label)}">'
        f"{''.join(rows)}</svg>"
    )


def _chunks(items: list, size: int = CHART_ROWS) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


def grade_shares_charts(lines: list[TownshipShares], label: str) -> list[SafeString]:
    """各镇(街道)村居清廉指数等级数量占比: a stacked bar of A/B/C shares per line, each segment labelled
    when its label fits inside it."""
    column = _name_column(line.name for line in lines)
    left, bar_width, bar_height = column + GAP, WIDTH - column - GAP, 12
    charts = []
    for chunk in _chunks(lines):
        rows, y = [], 0.0
        for line in chunk:
            names = _wrap(line.name, column)
            height = max(bar_height, len(names) * LINE) + 6
            middle = y + height / 2
            rows.append(_name(names, middle))
            for grade, x, width, share in line.bars(left=left, width=bar_width):
                if not width:
                    continue
                top = round(middle - bar_height / 2, 2)
                rows.append(
                    f'<rect x="{x}" y="{top}" width="{width}" height="{bar_height}" fill="{GRADE_FILL[grade]}"/>'
                )
                text = f"{grade} {round(share)}%"
                if text_width(text, FIGURE_SIZE) + 4 <= width:
                    rows.append(
                        f'<text x="{round(x + 2, 2)}" y="{round(middle + FIGURE_SIZE * 0.35, 2)}" '
                        f'font-size="{FIGURE_SIZE}" fill="{LABEL_FILL[grade]}">{text}</text>'
                    )
            y += height
        charts.append(_svg(rows, y, label))
    return charts


def category_charts(lines: list[CategoryLine], label: str, *, with_district: bool) -> list[SafeString]:
    """Per category the average as a share of its maximum: here (red) and, in a township's report, the
    district (grey) below it; the percentage at the end of each bar."""
    column = _name_column(line.name for line in lines)
    room = text_width("100.0%", FIGURE_SIZE) + 4
    left, bar_width, bar_height = column + GAP, WIDTH - column - GAP - room, 9
    charts = []
    for chunk in _chunks(lines):
        rows, y = [], 0.0
        for line in chunk:
            names = _wrap(line.name, column)
            bars = [(line.average, HERE_FILL)] + ([(line.district_average, DISTRICT_FILL)] if with_district else [])
            height = max(len(bars) * (bar_height + 2), len(names) * LINE) + 8
            rows.append(_name(names, y + height / 2))
            top = y + (height - len(bars) * (bar_height + 2)) / 2
            for value, fill in bars:
                share = float(value) / float(line.maximum) if line.maximum else 0.0
                width = round(bar_width * min(share, 1.0), 2)
                rows.append(
                    f'<rect x="{left}" y="{round(top, 2)}" width="{width}" height="{bar_height}" fill="{fill}"/>'
                    f'<text x="{round(left + width + 3, 2)}" y="{round(top + bar_height - 1.5, 2)}" '
                    f'font-size="{FIGURE_SIZE}">{round(share * 100, 1)}%</text>'
                )
                top += bar_height + 2
            y += height
        charts.append(_svg(rows, y, label))
    return charts


BEST_FILL, WORST_FILL = GRADE_FILL["A"], GRADE_FILL["C"]


def _fill(rank: int | None, best: int | None, worst: int | None) -> str:
    if rank is not None and best != worst:
        if rank == best:
            return BEST_FILL
        if rank == worst:
            return WORST_FILL
    return DISTRICT_FILL


def figure_charts(figure: ComparedFigure) -> list[SafeString]:
    """One figure of the city's comparison: a bar per county, its figure at the end; the best county by
    city rank green, the worst red, the others grey. Percentages are drawn against 100, counts and
    averages against the largest."""
    column = _name_column(name for name, _value, _rank in figure.lines)
    room = text_width("100.0%", FIGURE_SIZE) + 4
    left, bar_width, bar_height = column + GAP, WIDTH - column - GAP - room, 10
    values = [float(value) for _name, value, _rank in figure.lines if value is not None]
    scale = 100.0 if figure.percent else max([*values, 0.0]) or 1.0
    ranks = [rank for _name, _value, rank in figure.lines if rank is not None]
    best, worst = (min(ranks), max(ranks)) if ranks else (None, None)
    charts = []
    for chunk in _chunks(figure.lines):
        rows, y = [], 0.0
        for name, value, rank in chunk:
            names = _wrap(name, column)
            height = max(bar_height, len(names) * LINE) + 6
            middle = y + height / 2
            rows.append(_name(names, middle))
            width = round(bar_width * min(max(float(value), 0.0) / scale, 1.0), 2) if value is not None else 0
            text = "—" if value is None else f"{value}%" if figure.percent else f"{value}"
            top = round(middle - bar_height / 2, 2)
            rows.append(
                f'<rect x="{left}" y="{top}" width="{width}" height="{bar_height}" fill="{_fill(rank, best, worst)}"/>'
                f'<text x="{round(left + width + 3, 2)}" y="{round(middle + FIGURE_SIZE * 0.35, 2)}" '
                f'font-size="{FIGURE_SIZE}">{escape(text)}</text>'
            )
            y += height
        charts.append(_svg(rows, y, figure.label))
    return charts
