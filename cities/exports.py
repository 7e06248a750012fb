"""The city's sheets, headed in the user's language: the county comparison (each figure beside its city
rank) and the progress schedule (工作进度表: each county's five steps, their status and dates)."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core.spreadsheets import xlsx_bytes

from .models import CountyStep, Step
from .selectors import FIGURES, STAR_LEVELS, CountyFigures, ScheduleRow

NONE = "—"  # no figure, or no rank


def _day(day: date | None) -> str:
    """A date as text (the sheet's cells keep the General format, which would show a date as its serial)."""
    return f"{day:%Y-%m-%d}" if day else ""


def _or_dash(value: Decimal | int | None) -> Decimal | int | str:
    return NONE if value is None else value


def comparison_headings() -> list[str]:
    headings = [_("County"), _("Villages graded")]
    for column in FIGURES:
        if column.key == "average_stars":
            headings += [_("%(stars)s stars") % {"stars": level} for level in STAR_LEVELS]
        if column.key == "petitions_change":
            headings.append(_("Petitions the year before"))
        if column.key == "rural_petitions_change":
            headings.append(_("Rural petitions the year before"))
        if column.key == "strike_off_rate":
            headings += [_("Listed cases open in the year"), _("Listed cases struck off in the year")]
        if column.key == "rectification_rate":
            headings += [_("Findings found"), _("Findings closed"), _("Closed by their due date")]
        headings.append(str(column.label))
        if column.higher_is_better is not None:
            headings.append(_("%(figure)s rank") % {"figure": column.label})
    return headings


def comparison_row(line: CountyFigures) -> list[object]:
    row: list[object] = [line.district.name, line.graded]
    for column in FIGURES:
        if column.key == "average_stars":
            row += list(line.stars)
        if column.key == "petitions_change":
            row.append(line.petitions_before)
        if column.key == "rural_petitions_change":
            row.append(line.rural_petitions_before)
        if column.key == "strike_off_rate":
            row += [line.listed, line.struck_off]
        if column.key == "rectification_rate":
            row += [line.findings, line.findings_closed, line.findings_closed_on_time]
        row.append(_or_dash(line.value(column.key)))
        if column.higher_is_better is not None:
            row.append(_or_dash(line.rank(column.key)))
    return row


def comparison_sheet(figures: Sequence[CountyFigures], year: int) -> bytes:
    rows = [comparison_row(line) for line in figures]
    return xlsx_bytes(
        comparison_headings(), rows, title=_("%(year)s county comparison") % {"year": year}, frozen_columns=1
    )


def step_status(step: CountyStep | None, today: date) -> str:
    """未开始 / 进行中 / 已完成, and 逾期 for a step past its due date."""
    if step is None:
        return NONE
    status = str(step.get_status_display())
    return _("%(status)s, overdue") % {"status": status} if step.is_overdue(today) else status


def schedule_headings() -> list[str]:
    headings = [_("County")]
    for step in Step:
        headings += [
            str(step.label),
            _("%(step)s due on") % {"step": step.label},
            _("%(step)s done on") % {"step": step.label},
        ]
    return [*headings, _("Steps done"), _("Supervision visits"), _("Problems to rectify")]


def schedule_row(row: ScheduleRow, today: date) -> list[object]:
    cells: list[object] = [row.district.name]
    for step in row.steps:
        cells += [step_status(step, today), _day(step.due_on if step else None), _day(step.done_on if step else None)]
    return [*cells, row.done, row.visits, row.open_problems]


def schedule_sheet(rows: Sequence[ScheduleRow], year: int, today: date) -> bytes:
    return xlsx_bytes(
        schedule_headings(),
        [schedule_row(row, today) for row in rows],
        title=_("%(year)s 五个一 schedule") % {"year": year},
        frozen_columns=1,
    )
