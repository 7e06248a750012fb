"""Writing spreadsheets safely: every text cell is stored as text, never as a formula.

openpyxl turns any string starting with "=" into a formula cell, and tablib's `escape` only strips a
leading "=". Government users open these files in Excel and WPS, so `=HYPERLINK(...)` in a village
name must stay inert text whatever it starts with.
"""

from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
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
