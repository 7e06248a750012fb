"""The score sheet as xlsx: `code`, `name`, then per indicator its points obtained and, right after, the
reason of a deduction ("<code> 理由"). The same file is the import template."""

from core.spreadsheets import xlsx_bytes

from .importer import CODE_COLUMN, NAME_COLUMN, reason_header
from .models import Indicator, Round, Score


def score_sheet(round_: Round, villages) -> bytes:
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme).values_list("pk", "code"))
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
            *[value for pk, _code in indicators for value in scores.get((village.pk, pk), empty)],
        ]
        for village in villages
    )
    header = [CODE_COLUMN, NAME_COLUMN, *[title for _pk, code in indicators for title in (code, reason_header(code))]]
    return xlsx_bytes(header, rows, title=str(round_.period))
