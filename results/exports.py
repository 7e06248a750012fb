"""The register's sheets, headed in the user's language: a department's uses and filings (one sheet per
kind: its project funds, then its policies, awards, funds and projects filed) and a year's eligibility
list (评先评优). Every text cell is stored as text, never as a formula (core.spreadsheets)."""

from collections.abc import Sequence
from copy import copy
from io import BytesIO
from typing import cast

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets import xlsx_bytes

from .models import Filing, ProjectFund
from .selectors import DepartmentUses, Eligibility


def _date(value: object) -> str:
    # Dates as text: the sheet's cells keep the General format, which would show a date as its serial.
    return f"{value:%Y-%m-%d}" if value else ""


def fund_row(fund: ProjectFund) -> list[object]:
    return [
        fund.year,
        fund.village.township.name,
        fund.village.name,
        fund.village.code,
        fund.project,
        fund.amount,
        _date(fund.decided_on),
        fund.conditions,
        fund.basis,
    ]


def fund_headings() -> list[str]:
    return [
        _("Year"),
        _("Township"),
        _("Village"),
        _("Code"),
        _("Project"),
        _("Amount (yuan)"),
        _("Decided on"),
        _("Conditions"),
        _("Basis"),
    ]


def filing_row(filing: Filing) -> list[object]:
    return [
        filing.number,
        filing.year,
        filing.title,
        filing.content,
        filing.amount if filing.amount is not None else "",
        _date(filing.filed_on),
        "、".join(village.name for village in filing.villages.all()),
        str(filing.get_opinion_display()) if filing.opinion else _("still to give"),
        filing.opinion_text,
        _date(filing.opinion_on),
    ]


def filing_headings() -> list[str]:
    return [
        _("Filing number"),
        _("Year"),
        _("Title"),
        _("What it provides"),
        _("Amount (yuan)"),
        _("Filed on"),
        _("Villages concerned"),
        _("Office's opinion"),
        _("Opinion"),
        _("Given on"),
    ]


def workbook(sheets: Sequence[tuple[str, list[str], list[list[object]]]]) -> bytes:
    """Several sheets in one workbook, each made by core.spreadsheets.xlsx_bytes (its headings, widths,
    text cells) and copied in, values and widths."""
    first = load_workbook(BytesIO(xlsx_bytes(sheets[0][1], sheets[0][2], title=sheets[0][0])))
    for title, headings, rows in sheets[1:]:
        made = cast(Worksheet, load_workbook(BytesIO(xlsx_bytes(headings, rows, title=title))).active)
        sheet = first.create_sheet(made.title)
        for row in made.iter_rows():
            for cell in row:
                target = sheet.cell(row=cell.row, column=cell.column, value=cell.value)
                target.data_type = cell.data_type
                target.font, target.fill, target.alignment = copy(cell.font), copy(cell.fill), copy(cell.alignment)
        for letter, dimension in made.column_dimensions.items():
            sheet.column_dimensions[letter].width = dimension.width
        sheet.freeze_panes = made.freeze_panes
    buffer = BytesIO()
    first.save(buffer)
    return buffer.getvalue()


def department_sheet(uses: DepartmentUses) -> bytes:
    sheets: list[tuple[str, list[str], list[list[object]]]] = [
        (_("Project funds"), fund_headings(), [fund_row(fund) for fund in uses.funds])
    ]
    for kind in Filing.Kind:
        title = _("Filings, %(kind)s") % {"kind": kind.label}
        sheets.append((title, filing_headings(), [filing_row(filing) for filing in uses.filings[kind.value]]))
    return workbook(sheets)


def eligibility_sheet(lines: list[Eligibility], year: int) -> bytes:
    headings = [_("Township"), _("Village"), _("Code"), _("Stars"), _("Index grade"), _("Eligible"), _("Why not")]
    rows = [
        [
            line.village.township.name,
            line.village.name,
            line.village.code,
            line.stars or "",
            line.grade or "",
            _("yes") if line.eligible else _("no"),
            line.reason,
        ]
        for line in lines
    ]
    return xlsx_bytes(headings, rows, title=_("%(year)s eligibility") % {"year": year}, frozen_columns=2)
