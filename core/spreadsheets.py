"""Spreadsheets in and out. Reading: the one set of checks every importer runs, the admin's included
(an xlsx, no macros, no zip bomb, not too many rows or columns, read row by row) and row-and-column
errors. Writing: every text cell is stored as text, never as a formula.

openpyxl turns any string starting with "=" into a formula cell, and tablib's `escape` only strips a
leading "=". Government users open these files in Excel and WPS, so `=HYPERLINK(...)` in a village
name must stay inert text whatever it starts with.
"""

import logging
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, Any, cast
from xml.etree.ElementTree import Element

import tablib
from defusedxml import ElementTree as DefusedXML
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

logger = logging.getLogger(__name__)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook(write_only=False)
    sheet = cast(Worksheet, workbook.active)  # a new workbook's one sheet
    sheet.title = title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append([value if value is not None else "" for value in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


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


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


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
