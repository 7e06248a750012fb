"""The score sheet as xlsx: `code`, `name`, then one column per indicator code holding points obtained.
The same file is the import template."""

from lianjie.spreadsheets import xlsx_bytes

from .importer import CODE_COLUMN, NAME_COLUMN
from .models import Indicator, Round, Score


def score_sheet(round_: Round, villages) -> bytes:
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme).values_list("pk", "code"))
    points = {
        (village_id, indicator_id): value
        for village_id, indicator_id, value in Score.objects.filter(round=round_, village__in=villages).values_list(
            "village_id", "indicator_id", "points"
        )
    }
    rows = (
        [village.code, village.name, *[points.get((village.pk, pk), "") for pk, _code in indicators]]
        for village in villages
    )
    return xlsx_bytes([CODE_COLUMN, NAME_COLUMN, *[code for _pk, code in indicators]], rows, title=str(round_.period))
