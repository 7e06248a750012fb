"""The score sheet as xlsx, as staff would lay it out themselves: the village's code and name (frozen, with
the heading row), then per indicator its points, headed with the indicator's name and maximum and checked
by Excel, WPS and LibreOffice as they are typed (0 to the maximum), and right after them the reason of a
deduction. Headings are in the user's language. The same file is the import template (`importer.py`)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from core.spreadsheets import NumberRange, SheetColumn, xlsx_bytes

from .importer import CODE_HEADING, NAME_HEADING, points_heading, points_text, reason_header
from .models import Indicator, Round, Score

# In characters: a points heading wraps over a few lines rather than widening 23 columns.
CODE_WIDTH, POINTS_WIDTH, REASON_WIDTH = 15, 14, 24


def score_sheet(round_: Round, villages) -> bytes:
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme))
    scores = {
        (village_id, indicator_id): (points, reason)
        for village_id, indicator_id, points, reason in Score.objects.filter(
            round=round_, village__in=villages
        ).values_list("village_id", "indicator_id", "points", "reason")
    }
    empty = ("", "")
    rows = (
        [
            village.code,
            village.name,
            *[value for indicator in indicators for value in scores.get((village.pk, indicator.pk), empty)],
        ]
        for village in villages
    )
    columns = [SheetColumn(str(CODE_HEADING), width=CODE_WIDTH), SheetColumn(str(NAME_HEADING))]
    for indicator in indicators:
        columns += [_points_column(indicator), SheetColumn(reason_header(indicator.code), width=REASON_WIDTH)]
    return xlsx_bytes(columns, rows, title=str(round_.period), frozen_columns=2)


def _points_column(indicator: Indicator) -> SheetColumn:
    maximum = points_text(indicator.max_points)
    accepts = NumberRange(
        minimum=Decimal(0),
        maximum=indicator.max_points,
        title=str(indicator),
        message=_("Type the points obtained, from 0 to %(max)s, with at most two decimals.") % {"max": maximum},
        prompt=_("Full marks: %(max)s. A deduction needs its reason in “%(reason)s”.")
        % {"max": maximum, "reason": reason_header(indicator.code)},
    )
    return SheetColumn(points_heading(indicator), width=POINTS_WIDTH, number_format="0.00", accepts=accepts)
