"""The shared spreadsheet machinery: errors name the row and the column's heading as the user's sheet heads
it (never a column letter, unless the column has no heading), and every exported sheet is laid out for a
person: the heading row bold and frozen, columns as wide as their content."""

from decimal import Decimal
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.spreadsheets import (
    NumberRange,
    RowError,
    SheetColumn,
    column_heading,
    in_every_language,
    xlsx_bytes,
)


def test_an_error_reads_row_heading_and_problem():
    error = RowError(12, "BZ3 班子民主决策（满分5）", "超过满分")
    assert str(error) == "第12行 BZ3 班子民主决策（满分5）：超过满分"
    with translation.override("en"):
        assert str(error) == "row 12 BZ3 班子民主决策（满分5）: 超过满分"


def test_a_column_is_named_by_its_heading_as_written_or_by_its_letter_without_one():
    headings = (" BZ3 班子民主决策（满分5） ", None, "", "整改期限")
    assert column_heading(headings, 0) == "BZ3 班子民主决策（满分5）"  # full-width brackets kept
    assert [column_heading(headings, index) for index in (1, 2, 4)] == ["B列", "C列", "E列"]
    assert column_heading(headings, 3) == "整改期限"


def test_a_heading_is_known_in_every_language_of_the_site():
    assert in_every_language(gettext_lazy("Village code")) == {"村居代码", "village code"}


def test_an_exported_sheet_has_a_bold_frozen_heading_row_and_fitted_columns():
    rows = [["331004001201", "石曲村", Decimal("91.50"), "x" * 80]]
    sheet = load_workbook(BytesIO(xlsx_bytes(["代码", "村居", "Total", "备注"], rows))).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "00EEF1F4"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    assert widths == [14, 8, 7, 42]  # the widest cell + 2, a Chinese character twice a digit, at most 40 + 2
    assert sheet.data_validations.dataValidation == []


def test_a_column_of_numbers_is_checked_by_the_spreadsheet_and_frozen_columns_stay():
    column = SheetColumn(
        "得分",
        width=10,
        number_format="0.00",
        accepts=NumberRange(Decimal("0"), Decimal("2.50"), "标题" * 20, "说" * 300, "满分2.5"),
    )
    sheet = load_workbook(BytesIO(xlsx_bytes(["代码", column], [["1", 2]], frozen_columns=1))).active
    assert sheet.freeze_panes == "B2"
    (validation,) = sheet.data_validations.dataValidation
    assert (str(validation.sqref), validation.formula1, validation.formula2) == ("B2:B25001", "0", "2.5")
    # Excel calls a file damaged whose validation title passes 32 characters or message 255.
    assert (len(validation.errorTitle), len(validation.error), validation.prompt) == (32, 255, "满分2.5")
    assert (sheet["B2"].number_format, sheet.column_dimensions["B"].width) == ("0.00", 10)
