"""Import of findings (问题清单) from xlsx, with the checks every importer runs (core.spreadsheets): a
preview with every error by row and column heading, then everything or nothing.

Columns (first row, Chinese or English headers): village code, category, problem, severity, 立行立改,
measure, responsible person, followed by (a user name), found on, due on. The villages and the followers
are the round's county's: a row naming another county's is refused with its row number.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import (
    FORMULA_WITHOUT_VALUE,
    RowError,
    check_container,
    column_heading,
    normalise_text,
    read_sheet,
    uncomputed_formulas,
)
from villages.models import District, Village

from . import services
from .models import Finding, FindingCategory, InspectionRound

# header → field; both the Chinese headers of the commission's ledger and the field names are accepted.
HEADERS = {
    "村居代码": "village",
    "code": "village",
    "问题类别": "category",
    "category": "category",
    "问题描述": "description",
    "description": "description",
    "严重程度": "severity",
    "severity": "severity",
    "立行立改": "immediate",
    "immediate": "immediate",
    "整改措施": "measure",
    "measure": "measure",
    "责任人": "responsible_person",
    "responsible_person": "responsible_person",
    "跟进人": "owner",
    "owner": "owner",
    "发现日期": "found_on",
    "found_on": "found_on",
    "整改期限": "due_on",
    "due_on": "due_on",
}
REQUIRED = ("village", "category", "description", "owner", "due_on")
SEVERITIES = {
    "一般": "minor",
    "较重": "serious",
    "严重": "grave",
    **{value: value for value in Finding.Severity.values},
}
YES = {"是", "yes", "y", "1", "true", "√"}
NO = {"", "否", "no", "n", "0", "false"}


@dataclass
class FindingsPreview:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalise_text(value).replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date (write 2025-06-30).") % {"value": text}) from None


class _Lookups:
    """The round's county's villages and followers, and the vocabulary, each read once."""

    def __init__(self, round_: InspectionRound):
        self.county = round_.district
        villages = Village.objects.filter(active=True, township__district_id=round_.district_id)
        self.villages = {village.code: village for village in villages}
        categories = FindingCategory.objects.filter(active=True)
        self.categories = {category.name: category for category in categories} | {c.code: c for c in categories}
        self.owners = {user.username: user for user in services.followers(round_.district_id)}

    def county_elsewhere(self, code: str) -> District | None:
        """The other county whose village has this code (None: no village of another county has it)."""
        others = Village.objects.filter(code=code).exclude(township__district=self.county)
        village = others.select_related("township__district").first()
        return village.township.district if village else None


def _finding(
    round_: InspectionRound, values: dict, lookups: _Lookups, row: int, columns: dict, headings: tuple
) -> tuple:
    """(Finding or None, errors) for one row; an error names the column's heading as in the file."""
    errors = []

    def error(name, message):
        errors.append(RowError(row, column_heading(headings, columns[name]), message))

    code = normalise_text(values.get("village"))
    village = lookups.villages.get(code)
    elsewhere = lookups.county_elsewhere(code) if village is None and code else None
    if elsewhere is not None:
        message = _("“%(code)s” is a village of %(county)s, not of this round's county")
        error("village", message % {"code": code, "county": elsewhere.name})
    elif village is None:
        error("village", _("unknown village code “%(code)s”") % {"code": code})
    category = lookups.categories.get(normalise_text(values.get("category")))
    if category is None:
        error("category", _("unknown category “%(name)s”") % {"name": normalise_text(values.get("category"))})
    owner = lookups.owners.get(normalise_text(values.get("owner")))
    if owner is None:
        error(
            "owner",
            _("“%(name)s” is not a staff member or a township secretary of %(county)s")
            % {"name": values.get("owner"), "county": lookups.county.name},
        )
    severity = SEVERITIES.get(normalise_text(values.get("severity")) or "minor")
    if severity is None and "severity" in columns:
        error("severity", _("severity is 一般, 较重 or 严重"))
    immediate_text = normalise_text(values.get("immediate")).lower()
    if immediate_text not in YES | NO:
        error("immediate", _("write 是 or 否"))
    dates = {}
    for name in ("found_on", "due_on"):
        if name in columns and values.get(name) not in (None, ""):
            try:
                dates[name] = _date(values[name])
            except ValueError as problem:
                error(name, str(problem))
    if errors:
        return None, errors
    finding = Finding(
        round=round_,
        village=village,
        category=category,
        description=normalise_text(values.get("description")),
        severity=severity or "minor",
        immediate=immediate_text in YES,
        measure=normalise_text(values.get("measure")),
        responsible_person=normalise_text(values.get("responsible_person")),
        owner=owner,
        found_on=dates.get("found_on", round_.starts_on),
        due_on=dates.get("due_on"),
    )
    try:
        finding.full_clean(exclude=["round"])
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            heading = column_heading(headings, columns.get(name, 0))
            errors += [RowError(row, heading, message) for message in messages]
        return None, errors
    return finding, []


def build_preview(round_: InspectionRound, data: bytes, filename: str) -> FindingsPreview:
    check_container(data, filename)
    rows = read_sheet(data)
    preview = FindingsPreview()
    if not rows:
        preview.errors.append(RowError(1, column_heading((), 0), _("the sheet is empty")))
        return preview
    columns = {}
    for index, header in enumerate(rows[0]):
        name = HEADERS.get(normalise_text(header))
        if name:
            columns[name] = index
    # Named by their Chinese headings (listed first in HEADERS), as the commission's ledger heads them.
    missing = [
        next(heading for heading, known in HEADERS.items() if known == name) for name in REQUIRED if name not in columns
    ]
    if missing:
        preview.errors.append(RowError(1, "—", _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}))
        return preview
    # A formula cell without its computed value reads as empty: refused where it stands, never dropped
    # (its row is not read further: an "empty" cell's own error would only hide the cause).
    uncomputed = sorted(uncomputed_formulas(data, rows))
    for number, index in uncomputed:
        preview.errors.append(RowError(number, column_heading(rows[0], index), str(FORMULA_WITHOUT_VALUE)))
    formula_rows = {number for number, _index in uncomputed}
    lookups = _Lookups(round_)
    for number, cells in enumerate(rows[1:], start=2):
        if number in formula_rows or all(normalise_text(cell) == "" for cell in cells):
            continue
        values = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        finding, errors = _finding(round_, values, lookups, number, columns, rows[0])
        preview.errors += errors
        if finding:
            preview.findings.append(finding)
    return preview


@transaction.atomic
def apply_import(round_: InspectionRound, data: bytes, filename: str, *, acting_user) -> FindingsPreview:
    """Re-reads the file and writes every finding, or none when any row has an error."""
    if not services.runs_inspections(acting_user, round_.district_id):
        raise PermissionDenied
    preview = build_preview(round_, data, filename)
    if not preview.ok:
        return preview
    for finding in preview.findings:
        finding._history_user = acting_user
        finding.save()
    visited = {finding.village_id: "" for finding in preview.findings}
    services.round_targets_add(round_=round_, reasons=visited, acting_user=acting_user)
    record_event(
        EventType.IMPORTED,
        actor=acting_user,
        target=round_,
        data={"what": "findings", "file": filename, "rows": len(preview.findings)},
    )
    return preview
