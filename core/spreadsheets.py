"""Spreadsheets in and out. Reading: the one set of checks every importer runs, the admin's included
(an xlsx, no macros, no zip bomb, not too many rows or columns, read row by row) and errors that name
the row and the column's heading. Writing: a sheet a person reads (headings in the user's language,
frozen, fitted widths, data validation where a column takes numbers), every text cell stored as text,
never as a formula.

openpyxl turns any string starting with "=" into a formula cell, and tablib's `escape` only strips a
leading "=". Government users open these files in Excel and WPS, so `=HYPERLINK(...)` in a village
name must stay inert text whatever it starts with.
"""

import logging
import math
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import IO, Any, cast
from xml.etree.ElementTree import Element

import tablib
from defusedxml import ElementTree as DefusedXML
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A spreadsheet as a download named `filename`."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class NumberRange:
    """What a column accepts as the user types, in Excel, WPS and LibreOffice alike (their data validation):
    a number from `minimum` to `maximum`; anything else is refused with `title` and `message`. `prompt` shows
    beside the selected cell."""

    minimum: Decimal
    maximum: Decimal
    title: str
    message: str
    prompt: str = ""


@dataclass(frozen=True)
class SheetColumn:
    """A column of an exported sheet, where its heading alone is not enough: its width in characters
    (None: as wide as its widest cell), the number format of its cells and the numbers it accepts."""

    heading: str
    width: float | None = None
    number_format: str = "General"
    accepts: NumberRange | None = None


# A sheet a person reads: the headings bold on grey, wrapped to their column; no column wider than this.
HEADING_STYLE = {
    "font": Font(bold=True),
    "fill": PatternFill("solid", fgColor="EEF1F4"),
    "alignment": Alignment(wrap_text=True, vertical="center"),
}
MAX_FITTED_WIDTH = 40
# Excel's limits on a data validation's texts (longer ones make Excel call the file damaged).
MAX_VALIDATION_TITLE, MAX_VALIDATION_MESSAGE = 32, 255


def display_width(text: str) -> int:
    """Characters as a spreadsheet lays them out: a Chinese character is two columns wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def xlsx_bytes(
    columns: Sequence[str | SheetColumn | Promise],
    rows: Iterable[Sequence[Any]],
    *,
    title: str = "Sheet1",
    frozen_columns: int = 0,
) -> bytes:
    """One sheet: the heading row frozen (and the first `frozen_columns` columns), text cells stored as
    text, each column as wide as its content unless it says otherwise."""
    specs = [column if isinstance(column, SheetColumn) else SheetColumn(str(column)) for column in columns]
    workbook = Workbook(write_only=False)
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    sheet.title = title[:31]
    sheet.append([spec.heading for spec in specs])
    fitted = [display_width(spec.heading) for spec in specs]
    for row in rows:
        sheet.append([value if value is not None else "" for value in row])
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        for index, cell in enumerate(cells):
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
            if number > 1 and index < len(specs):
                cell.number_format = specs[index].number_format
                fitted[index] = max(fitted[index], display_width(str(cell.value)))
    lines = 1
    for index, spec in enumerate(specs):
        letter = get_column_letter(index + 1)
        for name, style in HEADING_STYLE.items():
            setattr(sheet[f"{letter}1"], name, style)
        width = spec.width or min(fitted[index], MAX_FITTED_WIDTH) + 2
        sheet.column_dimensions[letter].width = width
        lines = max(lines, math.ceil(display_width(spec.heading) / (width - 1)))
        if spec.accepts:
            sheet.add_data_validation(_validation(spec.accepts, letter))
    # Excel keeps a row's height as written: a wrapped heading needs its lines.
    sheet.row_dimensions[1].height = 15 * lines + 3
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(accepts: NumberRange, letter: str) -> DataValidation:
    validation = DataValidation(
        type="decimal",
        operator="between",
        formula1=format(accepts.minimum.normalize(), "f"),  # 4.00 → "4", as a person types it
        formula2=format(accepts.maximum.normalize(), "f"),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=accepts.title[:MAX_VALIDATION_TITLE],
        error=accepts.message[:MAX_VALIDATION_MESSAGE],
        showInputMessage=bool(accepts.prompt),
        promptTitle=accepts.title[:MAX_VALIDATION_TITLE],
        prompt=accepts.prompt[:MAX_VALIDATION_MESSAGE] or None,
    )
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")  # as many rows as an import reads
    return validation


MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 500
MAX_ROWS = 25_000
# openpyxl pads every row it reads to the sheet's width: a sheet claiming Excel's 16,384 columns costs
# 128 KB a row. The widest sheet an importer reads is a score template (code, name, then points and
# reason for each indicator: 48 columns for the standard's 23); 100 leaves room for a scheme of 49
# indicators and costs at most 21 MB for MAX_ROWS rows.
MAX_COLUMNS = 100

# openpyxl keeps in memory every element of a sheet it does not know and every row it has read (it empties
# them, but leaves them in place): a few megabytes of tiny elements cost half a gigabyte. The sheet's XML
# is walked once before, in constant memory, and held to what a real sheet holds: rows only inside
# <sheetData>, at most this many elements in a row (cells with their values, formulas, rich text) and
# this many outside the rows (column widths, merges, validations, formats...).
MAX_ELEMENTS_PER_ROW = 50 * MAX_COLUMNS
MAX_ELEMENTS_OUTSIDE_ROWS = 100_000

TOO_MANY_ROWS = gettext_lazy("The file has more than %(max)s rows.")
TOO_MANY_COLUMNS = gettext_lazy("The file has more than %(max)s columns.")
UNREADABLE = gettext_lazy("The file could not be read as a spreadsheet.")


class ImportRefused(Exception):
    """The whole file is refused before any row is read."""


@dataclass(frozen=True)
class RowError:
    """A problem where the user will look for it: the row's number and the column's heading, as in their
    sheet (`column_heading`)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def column_heading(headings: Sequence[object], index: int) -> str:
    """How an error names a column: its heading as the user wrote it (not normalised: "（满分5）" stays as
    typed), or its letter when it has none."""
    heading = str(headings[index]).strip() if index < len(headings) and headings[index] is not None else ""
    return heading or _("column %(letter)s") % {"letter": get_column_letter(index + 1)}


def check_container(data: bytes, filename: str = "") -> None:
    """Refuse what is not a plain xlsx before openpyxl sees it (openpyxl has no zip-bomb guard). The file's
    name, when the caller has it, refuses macro-enabled types by their extension too."""
    if filename.lower().endswith((".xlsm", ".xltm", ".xlam")):
        raise ImportRefused(_("Files with macros (.xlsm) are not accepted. Save the sheet as .xlsx."))
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ImportRefused(_("This is not an xlsx file. Save the sheet as Excel workbook (.xlsx)."))
    with zipfile.ZipFile(BytesIO(data)) as archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if len(entries) > MAX_ZIP_ENTRIES:
            raise ImportRefused(_("The file has too many parts to be a plain spreadsheet."))
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise ImportRefused(_("Files with macros are not accepted. Save the sheet as .xlsx."))
        if "xl/workbook.xml" not in names:
            raise ImportRefused(_("This is not an xlsx file. Save the sheet as Excel workbook (.xlsx)."))
        uncompressed = sum(entry.file_size for entry in entries)
        compressed = sum(entry.compress_size for entry in entries) or 1
        if uncompressed > MAX_UNCOMPRESSED_BYTES:
            raise ImportRefused(_("The file unpacks to more than 20 MB; an import sheet is far smaller."))
        if uncompressed / compressed > MAX_COMPRESSION_RATIO:
            raise ImportRefused(_("The file is compressed more than 100:1, which a real spreadsheet never is."))
        for name in sorted(names):
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as stream, _unreadable_refused():
                    _check_sheet_xml(stream)


def _check_sheet_xml(stream: IO[bytes]) -> None:
    """Refuse a worksheet's XML that holds more than a real sheet (above), reading it once and keeping
    nothing: each row, and each element beside the rows, is dropped from its parent once read (what it
    holds goes with it; the counts bound what can wait meanwhile)."""
    rows = outside = in_row = depth = 0
    # The open elements of the first two levels: the worksheet, then <sheetData> or another part.
    top: list[Element] = []
    in_sheet_data = False
    for event, element in DefusedXML.iterparse(stream, events=("start", "end")):
        if event == "end":
            if depth <= 2:
                top.pop()
                in_sheet_data = in_sheet_data and depth != 2
            if 2 <= depth <= 3:
                top[depth - 2].remove(element)
            depth -= 1
            continue
        depth += 1
        if depth <= 2:
            top.append(element)
            in_sheet_data = depth == 2 and element.tag.rpartition("}")[2] == "sheetData"
            outside += depth == 2 and not in_sheet_data
        elif in_sheet_data and depth == 3:
            if element.tag.rpartition("}")[2] != "row":
                raise ImportRefused(UNREADABLE)
            rows, in_row = rows + 1, 0
            if rows > MAX_ROWS + 1:
                raise ImportRefused(TOO_MANY_ROWS % {"max": MAX_ROWS})
        elif in_sheet_data:
            in_row += 1
        else:
            outside += 1
        if in_row > MAX_ELEMENTS_PER_ROW or outside > MAX_ELEMENTS_OUTSIDE_ROWS:
            raise ImportRefused(UNREADABLE)


def normalise_text(value: object) -> str:
    """Full-width digits and letters (１２.５) become ASCII; surrounding spaces go."""
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def in_every_language(heading: Promise) -> set[str]:
    """A translated heading as each of the site's languages writes it, normalised and in lower case: a
    sheet exported in English is imported by a colleague working in Chinese."""
    texts = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.add(normalise_text(heading).lower())
    return texts


@contextmanager
def _unreadable_refused() -> Iterator[None]:
    """openpyxl raises whatever its parser meets in a broken file (a ParseError, a KeyError for a missing
    part, a ValueError for a bad reference...): the user's file to fix, not a server error."""
    try:
        yield
    except ImportRefused:
        raise
    except Exception:
        logger.info("an uploaded spreadsheet could not be read", exc_info=True)
        raise ImportRefused(UNREADABLE) from None


def _check_size(*, columns: int, rows: int) -> None:
    if columns > MAX_COLUMNS:
        raise ImportRefused(TOO_MANY_COLUMNS % {"max": MAX_COLUMNS})
    if rows > MAX_ROWS + 1:  # the header, then MAX_ROWS rows
        raise ImportRefused(TOO_MANY_ROWS % {"max": MAX_ROWS})


def _first_sheet_rows(data: bytes, *, values: bool) -> Iterator[tuple[Any, ...]]:
    """The first sheet's rows, one at a time: their values as last computed, or (`values` False) their
    cells as written, formulas included. A sheet that declares more than the caps is refused before any
    row is read, and a row beyond them as soon as it is read: openpyxl would pad every row to the
    declared width, so each is read as wide as its own last cell, whatever the file declares."""
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=values)
    try:
        sheet = workbook.worksheets[0]
        _check_size(columns=sheet.max_column or 0, rows=sheet.max_row or 0)  # its <dimension>, if any
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=values), start=1):
            _check_size(columns=len(row), rows=number)
            yield tuple(row)
    finally:
        workbook.close()


def read_sheet(data: bytes) -> list[tuple[Any, ...]]:
    """The first sheet's values, row by row; a row is as long as its last cell, not padded to the others."""
    with _unreadable_refused():
        return list(_first_sheet_rows(data, values=True))


# A formula element of a worksheet's XML (<f>, <f t="shared" …/>, or with a namespace prefix).
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")
FORMULA_WITHOUT_VALUE = gettext_lazy(
    "The cell holds a formula without a computed value: open and save the file in Excel or WPS, or type the number."
)


def uncomputed_formulas(data: bytes, rows: list[tuple[Any, ...]]) -> set[tuple[int, int]]:
    """(row number, column index) of the first sheet's formula cells whose value the file does not carry
    (a sheet written by a script, or saved without recalculating): `read_sheet` sees them empty. The file
    is read a second time, for its formulas, only when a worksheet's XML holds any."""
    with _unreadable_refused():
        with zipfile.ZipFile(BytesIO(data)) as archive:
            sheets = [
                name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")
            ]
            if not any(FORMULA_ELEMENT.search(archive.read(name)) for name in sheets):
                return set()
        found: set[tuple[int, int]] = set()
        for row in _first_sheet_rows(data, values=False):
            for cell in row:
                if cell.data_type != "f":
                    continue
                values = rows[cell.row - 1] if cell.row <= len(rows) else ()
                if cell.column > len(values) or values[cell.column - 1] is None:
                    found.add((cell.row, cell.column - 1))
        return found


class CheckedXLSX(XLSX):
    """django-import-export's xlsx format, read through the checks and the bounded reading of every
    importer: its own reads every row as wide as the sheet claims to be."""

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:  # type: ignore[override]  # an upload's bytes
        check_container(in_stream)
        rows = read_sheet(in_stream)
        width = max(map(len, rows), default=0)
        padded = [row + (None,) * (width - len(row)) for row in rows]
        return tablib.Dataset(*padded[1:], headers=padded[0] if padded else None)


# An uploaded sheet waits on disk between its preview and the confirmation, keyed by a random token
# that only the uploader's session knows.


def _pending_path(token: str) -> Path:
    return Path(settings.DATA_DIR) / "imports" / f"{token}.xlsx"


def stash_upload(request: HttpRequest, *, purpose: str, name: str, data: bytes) -> str:
    """Keep the uploaded bytes for the confirmation; returns the token the confirm form posts back.
    `purpose` names what the upload is for (e.g. "round-3"), so a token cannot confirm anything else."""
    token = uuid.uuid4().hex
    path = _pending_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    request.session[f"import-{token}"] = {"purpose": purpose, "name": name}
    return token


def take_upload(request: HttpRequest, *, purpose: str, token: str) -> tuple[bytes, str] | None:
    """The stashed (bytes, file name) for this purpose, removed from disk and session; None when the
    token is unknown, for another purpose or expired."""
    pending = request.session.pop(f"import-{token}", None) if token.isalnum() else None
    path = _pending_path(token) if token.isalnum() else None
    if not pending or pending["purpose"] != purpose or path is None or not path.exists():
        return None
    try:
        return path.read_bytes(), pending["name"]
    finally:
        path.unlink(missing_ok=True)
