"""What the city's yearly report (市纪委年度区县比较报告) says, gathered from the city's comparison of its
counties (cities.selectors.county_comparison, each figure with its city rank) and from the 五个一
progress schedule: the comparison tables with ranks, one chart per compared figure that has no sign, a
sentence per ranked figure naming the best and the worst county, and each county's 五个一.

Every text is the site's language (the report is read in Chinese whoever asked for it)."""

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from cities.selectors import FIGURES, CountyFigures, FigureColumn, county_comparison, programme_of, schedule
from villages.models import City

# The comparison in two tables that fit an A4 page: the index and the stars, then petitions and findings
# (a figure the comparison adds later goes to the second).
FIRST_TABLE = ("share_a", "share_b", "share_c", "average_index", "average_stars", "demonstration")
PERCENT_SUFFIXES = ("（%）", " (%)", "(%)")


def plain_label(label: str) -> str:
    """A heading without its "（%）": a sentence or a chart says the % with the figure."""
    for suffix in PERCENT_SUFFIXES:
        label = label.removesuffix(suffix)
    return label


def figure_text(value: Decimal | int | None, *, percent: bool) -> str:
    if value is None:
        return "—"
    return f"{value}%" if percent else f"{value}"


@dataclass(frozen=True)
class Cell:
    text: str  # the figure as printed, "—" when there is none
    rank: int | None  # its city rank (None: not ranked, or no figure)


@dataclass(frozen=True)
class CountyRow:
    name: str
    villages: int  # graded in the county's index of the year
    cells: dict[str, Cell]  # by figure key


@dataclass(frozen=True)
class Column:
    """A heading of the comparison tables: its label, and its unit on a line of its own (a narrow column
    wraps the label, never the unit)."""

    key: str
    label: str
    unit: str  # "（%）" or nothing


@dataclass(frozen=True)
class ComparedFigure:
    """One figure across the counties, in county code order: (county, value, rank)."""

    key: str
    label: str  # without its "（%）"
    percent: bool
    higher_is_better: bool | None
    lines: list[tuple[str, Decimal | int | None, int | None]]

    @property
    def charted(self) -> bool:
        """Charted as bars: a figure with no sign (a 同比 change is told in the table only)."""
        return not self.key.endswith("_change")

    def observation(self) -> str | None:
        """The best and the worst county by the city rank, with their figures; none when fewer than two
        counties have the figure or all of them stand level."""
        ranked = [(name, value, rank) for name, value, rank in self.lines if rank is not None]
        if self.higher_is_better is None or len(ranked) < 2:
            return None
        best_rank, worst_rank = min(rank for *_, rank in ranked), max(rank for *_, rank in ranked)
        if best_rank == worst_rank:
            return f"{self.label}：各区县持平（{figure_text(ranked[0][1], percent=self.percent)}）。"

        def named(rank: int) -> str:
            counties = [(name, value) for name, value, line_rank in ranked if line_rank == rank]
            return (
                "、".join(name for name, _value in counties)
                + f"（{figure_text(counties[0][1], percent=self.percent)}）"
            )

        return f"{self.label}：全市最好为{named(best_rank)}，最差为{named(worst_rank)}。"


@dataclass(frozen=True)
class FiveStepsRow:
    """A county's line of the 五个一 progress schedule."""

    name: str
    steps: list[str]  # per step: 已完成（date）, 进行中, 未开始, each 逾期 when past due; — when the county has none
    done: int
    overdue: int
    visits: int
    open_problems: int


@dataclass
class CityReportContent:
    year: int
    city: str
    title: str
    as_of: date
    counties: list[CountyRow]
    first_columns: list[Column]
    second_columns: list[Column]
    figures: list[ComparedFigure]
    observations: list[str]
    step_names: list[str]
    five_steps: list[FiveStepsRow]  # empty when the city set no 五个一 for the year

    @property
    def charted_figures(self) -> list[ComparedFigure]:
        return [figure for figure in self.figures if figure.charted]

    def checksum(self) -> str:
        """A fingerprint of the data the report was built from."""
        return hashlib.sha256(json.dumps(asdict(self), default=str, sort_keys=True).encode()).hexdigest()


def _column(figure: FigureColumn) -> Column:
    label = plain_label(str(figure.label))
    return Column(figure.key, label, "（%）" if label != str(figure.label) else "")


def _row(line: CountyFigures) -> CountyRow:
    cells = {
        # The column's heading says "（%）": a cell gives the figure alone.
        figure.key: Cell(figure_text(line.value(figure.key), percent=False), line.rank(figure.key))
        for figure in FIGURES
    }
    return CountyRow(line.district.name, line.graded, cells)


def _step_text(step, today: date) -> str:
    if step is None:
        return "—"
    if step.is_done:
        return f"已完成（{step.done_on:%m-%d}）"
    text = "进行中" if step.status == step.Status.IN_PROGRESS else "未开始"
    return f"{text}，逾期" if step.is_overdue(today) else text


def _five_steps(city: City, year: int, today: date) -> tuple[list[str], list[FiveStepsRow]]:
    """The five steps' names and each county's line of the year's schedule; none without a programme."""
    programme = programme_of(city, year)
    lines = schedule(programme, today) if programme else []
    names = [label for label, _step in lines[0].labelled_steps] if lines else []
    rows = [
        FiveStepsRow(
            line.district.name,
            [_step_text(step, today) for step in line.steps],
            line.done,
            line.overdue(today),
            line.visits,
            line.open_problems,
        )
        for line in lines
    ]
    return names, rows


def city_report_content(year: int, city: City) -> CityReportContent:
    """Everything the city's report of the year shows."""
    today = timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        comparison = county_comparison(city, year)
        columns = [_column(figure) for figure in FIGURES]
        figures = [
            ComparedFigure(
                figure.key,
                plain_label(str(figure.label)),
                figure.percent,
                figure.higher_is_better,
                [(line.district.name, line.value(figure.key), line.rank(figure.key)) for line in comparison],
            )
            for figure in FIGURES
        ]
        step_names, five_steps = _five_steps(city, year, today)
    return CityReportContent(
        year=year,
        city=city.name,
        title=f"{city.name}{year}年度清廉村居建设区县比较报告",
        as_of=today,
        counties=[_row(line) for line in comparison],
        first_columns=[column for column in columns if column.key in FIRST_TABLE],
        second_columns=[column for column in columns if column.key not in FIRST_TABLE],
        figures=figures,
        observations=[text for figure in figures if (text := figure.observation())],
        step_names=step_names,
        five_steps=five_steps,
    )
