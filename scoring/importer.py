"""The one score importer, used by the browser's import page and by `import_scores`.

A file is checked before it is parsed (an xlsx, no macros, no zip bomb, not too many rows or columns),
read with openpyxl (which parses XML with defusedxml when it is installed), and turned into a preview:
every changed cell and every error with its row and column heading. Each indicator's points may be
followed by its reason column; a cell follows the same rules as in the entry grid (`clean_score_input`).
Applying re-reads the same bytes inside one transaction and writes everything or nothing, in bulk.

The headings are those of the exported sheet (`exporter.py`) in either language, or those of the older
templates ("code", "name", "BZ3", "BZ3 理由"): a column is known by the indicator code its heading starts
with, whatever follows.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import (
    FORMULA_WITHOUT_VALUE,
    ImportRefused,
    RowError,
    check_container,
    column_heading,
    in_every_language,
    normalise_text,
    read_sheet,
    uncomputed_formulas,
)
from villages.models import Village

from .models import Indicator, Round, Score, of_own_county
from .selectors import round_village_queryset
from .services import ROUND_NOT_EDITABLE, TWO_PLACES, ScoreInput, clean_score_input

CODE_HEADING = gettext_lazy("Village code")
NAME_HEADING = gettext_lazy("Village name")
FIRST_HEADINGS = (CODE_HEADING, NAME_HEADING)
OLD_HEADINGS = ("code", "name")  # of the templates exported before the headings were translated
# "<code> 理由" as exported in Chinese, "<code> reason" in English.
REASON_HEADER = re.compile(r"^(?P<code>\S+?)\s*(?:理由|reason)$", re.IGNORECASE)
# "BZ3 村级组织换届风气（满分4）" as exported (normalised: "（" reads "("), or a bare "BZ3".
POINTS_HEADER = re.compile(r"^(?P<code>[^\s(]+)")

ABOVE_MAXIMUM = gettext_lazy("above the maximum")
BELOW_ZERO = gettext_lazy("below zero")

REASON_WITHOUT_POINTS = gettext_lazy("A reason without points: type the points too.")
NO_REASON_COLUMN = gettext_lazy(
    "A changed deduction needs its reason, and the sheet has no reason column for %(code)s: export the "
    "template again, or add a column headed “%(header)s”."
)
REASON_COLUMN_ALONE = gettext_lazy("The reason column of %(code)s needs the points column %(code)s too.")
NOT_IN_ROUND = gettext_lazy("%(name)s is not among the villages of this round.")
OF_ANOTHER_COUNTY = gettext_lazy("“%(code)s” is not a village of %(county)s.")


def points_text(points: Decimal) -> str:
    """5.00 → "5", 2.50 → "2.5": a maximum as people write it."""
    return format(points.normalize(), "f")


def points_heading(indicator: Indicator) -> str:
    return _("%(code)s %(name)s (max %(max)s)") % {
        "code": indicator.code,
        "name": indicator.name,
        "max": points_text(indicator.max_points),
    }


def reason_header(code: str) -> str:
    return _("%(code)s reason") % {"code": code}


@dataclass(frozen=True)
class CellChange:
    row: int
    village: Village
    indicator: Indicator
    before: Decimal | None
    data: ScoreInput  # as cleaned: what the score becomes

    @property
    def after(self) -> Decimal:
        return self.data.points

    @property
    def reason(self) -> str:
        return self.data.reason


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


class CellRefused(Exception):
    def __init__(self, index: int, message) -> None:
        super().__init__(message)
        self.index, self.message = index, str(message)


class Column(NamedTuple):
    points: int
    reason: int | None  # None: the sheet has no reason column for this indicator
    indicator: Indicator


def _columns(
    header: list[str], headings: tuple, indicators: dict[str, Indicator], preview: ImportPreview
) -> list[Column]:
    """The indicators' columns, from the normalised `header`; errors name the `headings` as written."""
    points: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for index, title in enumerate(header[2:], start=2):
        reason_of = REASON_HEADER.match(title)
        points_of = POINTS_HEADER.match(title)
        if reason_of and reason_of["code"] in indicators:
            code, found = reason_of["code"], reasons
        elif points_of and points_of["code"] in indicators:
            code, found = points_of["code"], points
        else:
            message = _("“%(title)s” is not an indicator of this scheme.") % {"title": title}
            preview.errors.append(RowError(1, column_heading(headings, index), message))
            continue
        if code in found:
            message = _("The indicator %(code)s appears twice.") % {"code": code}
            preview.errors.append(RowError(1, column_heading(headings, index), message))
        else:
            found[code] = index
    for code, index in reasons.items():
        if code not in points:
            message = REASON_COLUMN_ALONE % {"code": code}
            preview.errors.append(RowError(1, column_heading(headings, index), message))
    return [Column(index, reasons.get(code), indicators[code]) for code, index in points.items()]


def _starts_as_exported(header: list[str]) -> bool:
    """The village's code and name first, headed in any of the site's languages or as the older templates."""
    known = [{old, *in_every_language(heading)} for heading, old in zip(FIRST_HEADINGS, OLD_HEADINGS, strict=True)]
    return len(header) >= 2 and all(title.lower() in texts for title, texts in zip(header, known, strict=False))


def build_preview(round_: Round, data: bytes, filename: str) -> ImportPreview:
    check_container(data, filename)
    rows = read_sheet(data)
    uncomputed = uncomputed_formulas(data, rows)
    preview = ImportPreview()
    if not rows:
        raise ImportRefused(_("The sheet is empty."))
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(scheme=round_.period.scheme)}
    headings = rows[0]
    header = [normalise_text(cell) for cell in headings]
    while header and header[-1] == "":
        header.pop()
    if not _starts_as_exported(header):
        raise ImportRefused(
            _("The first two columns must be headed “%(code)s” and “%(name)s”, as in the exported template.")
            % {"code": CODE_HEADING, "name": NAME_HEADING}
        )
    columns = _columns(header, headings, indicators, preview)
    code_heading = column_heading(headings, 0)
    villages = {village.code: village for village in Village.objects.select_related("township")}
    in_round = set(round_village_queryset(round_).values_list("pk", flat=True))
    existing = {(score.village_id, score.indicator_id): score for score in Score.objects.filter(round=round_)}
    formulas: dict[int, set[int]] = defaultdict(set)  # row number → columns of formulas without a value
    for number, index in uncomputed:
        formulas[number].add(index)
    seen_rows: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(normalise_text(cell) for cell in row) and number not in formulas:
            continue
        preview.rows += 1
        if 0 in formulas.get(number, ()):
            preview.errors.append(RowError(number, code_heading, str(FORMULA_WITHOUT_VALUE)))
            continue
        code = normalise_text(row[0] if row else "")
        village = villages.get(code)
        if village is None:
            message = _("No village has the code “%(code)s”.") % {"code": code}
            preview.errors.append(RowError(number, code_heading, message))
            continue
        if village.township.district_id != round_.period.district_id:
            # Another county's village: named by its code only (its name is that county's business).
            message = OF_ANOTHER_COUNTY % {"code": code, "county": round_.period.district.name}
            preview.errors.append(RowError(number, code_heading, str(message)))
            continue
        if village.pk not in in_round:
            message = NOT_IN_ROUND if village.active else _("%(name)s is no longer active.")
            preview.errors.append(RowError(number, code_heading, message % {"name": village.name}))
            continue
        if code in seen_rows:
            message = _("%(code)s is already on row %(row)s.") % {"code": code, "row": seen_rows[code]}
            preview.errors.append(RowError(number, code_heading, message))
            continue
        seen_rows[code] = number
        for column in columns:
            current = existing.get((village.pk, column.indicator.pk))
            try:
                data = _read_cell(row, column, current, formulas.get(number, set()))
            except CellRefused as refused:
                preview.errors.append(RowError(number, column_heading(headings, refused.index), refused.message))
                continue
            if data is not None:
                preview.changes.append(
                    CellChange(number, village, column.indicator, current.points if current else None, data)
                )
    return preview


def _read_cell(row: tuple, column: Column, current: Score | None, formulas: set[int]) -> ScoreInput | None:
    """One indicator's cells of one row: what the score becomes, or None when they are empty or say what
    is saved already."""
    for index in (column.points, column.reason):
        if index in formulas:
            raise CellRefused(index, FORMULA_WITHOUT_VALUE)
    try:
        points = parse_points(row[column.points] if column.points < len(row) else None)
    except ValueError as error:
        raise CellRefused(column.points, error) from None
    typed = row[column.reason] if column.reason is not None and column.reason < len(row) else None
    # A reason is the user's own words: stripped, never normalised (NFKC would turn "：" into ":").
    typed = str(typed).strip() if typed is not None else ""
    if points is None:
        if typed:
            raise CellRefused(column.reason, REASON_WITHOUT_POINTS)
        return None
    if points > column.indicator.max_points:
        raise CellRefused(column.points, ABOVE_MAXIMUM)
    if points < 0:
        raise CellRefused(column.points, BELOW_ZERO)
    # Without a reason column the score's reason stays, as in the grid when only the points are typed.
    reason = typed if column.reason is not None else (current.reason if current else "")
    if current is not None and points == current.points and reason == current.reason:
        return None
    try:
        data = clean_score_input(column.indicator, ScoreInput(points, reason), current)
    except ValidationError as refused:
        name, messages = next(iter(refused.message_dict.items()))
        if name == "reason" and column.reason is None:
            # An older template: say where the reason goes, not that the (absent) reason is wrong.
            code = column.indicator.code
            raise CellRefused(column.points, NO_REASON_COLUMN % {"code": code, "header": reason_header(code)}) from None
        at = column.reason if name == "reason" else column.points
        raise CellRefused(at, messages[0]) from None
    if current is not None and data.points == current.points and data.reason == current.reason:
        return None
    return data


@transaction.atomic
def apply_import(round_: Round, data: bytes, filename: str, *, acting_user, operator: str = "") -> ImportPreview:
    """All or nothing: any error and nothing is written. From the command line there is no signed-in
    user (`acting_user` None); the audit row then names the `operator`. The file's name goes into the
    history and the audit row, never into a score's reason."""
    round_ = Round.objects.select_for_update().select_related("period__scheme", "period__district").get(pk=round_.pk)
    if acting_user is not None and not (
        acting_user.has_role(Role.COMMISSION_STAFF) and of_own_county(round_, acting_user)
    ):
        raise PermissionDenied
    if not round_.is_editable:
        raise ImportRefused(ROUND_NOT_EDITABLE % {"round": round_, "status": round_.get_status_display()})
    preview = build_preview(round_, data, filename)
    if not preview.ok:
        return preview
    existing = {(s.village_id, s.indicator_id): s for s in Score.objects.filter(round=round_)}
    now = timezone.now()
    to_create, to_update, changed_fields = [], [], set()
    for change in preview.changes:
        score = existing.get((change.village.pk, change.indicator.pk))
        sent = change.data.sent()
        if score is None:
            to_create.append(
                Score(
                    round=round_,
                    village=change.village,
                    indicator=change.indicator,
                    scoring_unit_id=change.village.township_id,
                    updated_by=acting_user,
                    **sent,
                )
            )
        else:
            for name, value in sent.items():
                setattr(score, name, value)
            score.version, score.updated_by, score.updated_at = score.version + 1, acting_user, now
            changed_fields.update(sent)
            to_update.append(score)
    history = {
        "default_user": acting_user,
        "default_change_reason": _("Imported from %(file)s") % {"file": filename},
        "batch_size": 2000,
    }
    bulk_create_with_history(to_create, Score, **history)
    fields = ["version", "updated_by", "updated_at", *sorted(changed_fields)]
    bulk_update_with_history(to_update, Score, fields, **history)
    # Bulk writes skip the per-row signals: the import is audited as one event.
    record_event(
        EventType.IMPORTED,
        actor=acting_user,
        username=operator,
        target=round_,
        data={"file": filename, "rows": preview.rows, "created": len(to_create), "updated": len(to_update)},
    )
    return preview
