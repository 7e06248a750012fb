"""The one score importer, used by the browser's import page and by `import_scores`.

A file is checked before it is parsed (an xlsx, no macros, no zip bomb, not too many rows), read with
openpyxl (which parses XML with defusedxml when it is installed), and turned into a preview: every
changed cell and every error with its row and column. Applying re-reads the same bytes inside one
transaction and writes everything or nothing, in bulk.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from lianjie.spreadsheets import (
    ImportRefused,
    RowError,
    check_container,
    column_letter,
    normalise_text,
    read_sheet,
)
from villages.models import Village

from .models import Indicator, Round, Score
from .services import ROUND_NOT_EDITABLE, TWO_PLACES

CODE_COLUMN, NAME_COLUMN = "code", "name"


@dataclass(frozen=True)
class CellChange:
    row: int
    village: Village
    indicator: Indicator
    before: Decimal | None
    after: Decimal


@dataclass
class ImportPreview:
    rows: int = 0
    changes: list[CellChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_points(value) -> Decimal | None:
    text = normalise_text(value)
    if text == "":
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text}) from None
    if not points.is_finite():
        raise ValueError(_("“%(value)s” is not a number.") % {"value": text})
    if points != points.quantize(TWO_PLACES):
        raise ValueError(_("%(value)s has more than two decimals.") % {"value": text})
    return points.quantize(TWO_PLACES)


def build_preview(round_: Round, data: bytes, filename: str) -> ImportPreview:
    check_container(data, filename)
    try:
        rows = read_sheet(data)
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(_("The file could not be read as a spreadsheet.")) from None
    preview = ImportPreview()
    if not rows:
        raise ImportRefused(_("The sheet is empty."))
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(scheme=round_.period.scheme)}
    header = [normalise_text(cell) for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()
    if header[:2] != [CODE_COLUMN, NAME_COLUMN]:
        raise ImportRefused(_("The first two columns must be headed “code” and “name”, as in the exported template."))
    columns: dict[int, Indicator] = {}
    for index, title in enumerate(header[2:], start=2):
        if title not in indicators:
            preview.errors.append(
                RowError(
                    1, column_letter(index), _("“%(title)s” is not an indicator of this scheme.") % {"title": title}
                )
            )
        elif any(indicator.code == title for indicator in columns.values()):
            preview.errors.append(
                RowError(1, column_letter(index), _("The indicator %(code)s appears twice.") % {"code": title})
            )
        else:
            columns[index] = indicators[title]
    villages = {village.code: village for village in Village.objects.select_related("township")}
    existing = {(score.village_id, score.indicator_id): score for score in Score.objects.filter(round=round_)}
    seen_rows: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(normalise_text(cell) for cell in row):
            continue
        preview.rows += 1
        code = normalise_text(row[0] if row else "")
        village = villages.get(code)
        if village is None:
            preview.errors.append(RowError(number, "A", _("No village has the code “%(code)s”.") % {"code": code}))
            continue
        if not village.active:
            preview.errors.append(RowError(number, "A", _("%(name)s is no longer active.") % {"name": village.name}))
            continue
        if code in seen_rows:
            preview.errors.append(
                RowError(number, "A", _("%(code)s is already on row %(row)s.") % {"code": code, "row": seen_rows[code]})
            )
            continue
        seen_rows[code] = number
        for index, indicator in columns.items():
            value = row[index] if index < len(row) else None
            try:
                points = parse_points(value)
            except ValueError as error:
                preview.errors.append(RowError(number, column_letter(index), str(error)))
                continue
            if points is None:
                continue
            if points < 0 or points > indicator.max_points:
                preview.errors.append(
                    RowError(
                        number,
                        column_letter(index),
                        _("%(points)s is outside 0 to %(max)s.") % {"points": points, "max": indicator.max_points},
                    )
                )
                continue
            current = existing.get((village.pk, indicator.pk))
            if current is None or current.points != points:
                preview.changes.append(
                    CellChange(number, village, indicator, current.points if current else None, points)
                )
    return preview


@transaction.atomic
def apply_import(round_: Round, data: bytes, filename: str, *, acting_user, operator: str = "") -> ImportPreview:
    """All or nothing: any error and nothing is written. From the command line there is no signed-in
    user (`acting_user` None); the audit row then names the `operator`."""
    if acting_user is not None and not acting_user.has_role(Role.COMMISSION_STAFF):
        raise PermissionDenied
    round_ = Round.objects.select_for_update().select_related("period__scheme").get(pk=round_.pk)
    if not round_.is_editable:
        raise ImportRefused(ROUND_NOT_EDITABLE % {"round": round_, "status": round_.get_status_display()})
    preview = build_preview(round_, data, filename)
    if not preview.ok:
        return preview
    reason = _("Imported from %(file)s") % {"file": filename}
    existing = {(s.village_id, s.indicator_id): s for s in Score.objects.filter(round=round_)}
    to_create, to_update = [], []
    for change in preview.changes:
        score = existing.get((change.village.pk, change.indicator.pk))
        deduction_reason = reason if change.after < change.indicator.max_points else ""
        if score is None:
            to_create.append(
                Score(
                    round=round_,
                    village=change.village,
                    indicator=change.indicator,
                    points=change.after,
                    reason=deduction_reason,
                    scoring_unit_id=change.village.township_id,
                    updated_by=acting_user,
                )
            )
        else:
            score.points, score.version, score.updated_by = change.after, score.version + 1, acting_user
            score.reason = deduction_reason
            to_update.append(score)
    history = {"default_user": acting_user, "default_change_reason": reason, "batch_size": 2000}
    bulk_create_with_history(to_create, Score, **history)
    bulk_update_with_history(to_update, Score, ["points", "version", "updated_by", "reason"], **history)
    # Bulk writes skip the per-row signals: the import is audited as one event.
    record_event(
        EventType.IMPORTED,
        actor=acting_user,
        username=operator,
        target=round_,
        data={"file": filename, "rows": preview.rows, "created": len(to_create), "updated": len(to_update)},
    )
    return preview
