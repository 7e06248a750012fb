"""The score sheet staff download is the one they would make themselves: Chinese headings with each
indicator's name and maximum, a reason column after each, the spreadsheet itself refusing points above
the maximum, the heading row and the village columns frozen, columns wide enough to read."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.spreadsheets import display_width
from scoring.exporter import score_sheet

from ..conftest import CANARY
from ..scoring_helpers import fill_scores, make_round


@pytest.fixture
def round_(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95")
    fill_scores(round_, cast.village_b, "88")
    return round_


@pytest.fixture
def sheet(round_, cast):
    return load_workbook(BytesIO(score_sheet(round_, [cast.village_a, cast.village_b]))).active


def headings(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def test_headings_name_each_indicator_with_its_maximum_and_a_reason_column_after_it(sheet):
    assert headings(sheet)[:8] == [
        "村居代码",
        "村居名称",
        "BZ1 落实全面从严治党主体责任（满分5）",
        "BZ1 理由",
        "BZ2 “三重一大”事项集体决策（满分5）",
        "BZ2 理由",
        "BZ3 村级组织换届风气（满分4）",
        "BZ3 理由",
    ]
    assert headings(sheet)[-2:] == ["MF4 移风易俗（满分5）", "MF4 理由"]
    assert len(headings(sheet)) == 2 + 2 * 23


def test_each_points_column_accepts_only_0_to_its_maximum_with_a_chinese_message(sheet):
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert len(validations) == 23  # the points columns; a reason is free text
    bz3 = validations["G2:G25001"]  # BZ3, as many rows as an import reads
    assert (bz3.type, bz3.operator, bz3.formula1, bz3.formula2) == ("decimal", "between", "0", "4")
    assert (bz3.allow_blank, bz3.showErrorMessage, bz3.errorStyle) == (True, True, "stop")
    assert bz3.errorTitle == "BZ3 村级组织换届风气"
    assert bz3.error == "请填写得分：0至4之间的数，最多两位小数。"
    assert bz3.prompt == "满分4。扣分须在“BZ3 理由”列填写理由。"
    assert "H2:H25001" not in validations


def test_points_show_two_decimals_and_the_village_code_stays_text(sheet):
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "331004001201"
    assert (sheet["C2"].value, sheet["C2"].number_format) == (0, "0.00")
    assert sheet["D2"].value == "测试扣分"


def test_the_heading_row_and_the_village_columns_are_frozen_and_readable(sheet):
    assert sheet.freeze_panes == "C2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    # The names fit their longest (a Chinese character is two columns wide), and a margin.
    assert widths == {"A": 15, "B": display_width(CANARY) + 2, "C": 14, "D": 24, "E": 14, "F": 24}
    assert sheet["C1"].alignment.wrap_text and sheet["C1"].font.b
    # The longest heading (BZ1's: 37 columns of text in 13) needs three lines of 15 points.
    assert sheet.row_dimensions[1].height == 48


def test_the_sheet_is_headed_in_english_for_a_user_working_in_english(round_, cast):
    with translation.override("en"):
        data = score_sheet(round_, [cast.village_a])
    sheet = load_workbook(BytesIO(data)).active
    assert headings(sheet)[:4] == ["Village code", "Village name", "BZ1 落实全面从严治党主体责任 (max 5)", "BZ1 reason"]
    assert sheet.data_validations.dataValidation[0].error == (
        "Type the points obtained, from 0 to 5, with at most two decimals."
    )


def test_the_round_page_downloads_the_sheet_in_the_users_language(round_, cast, client_for):
    client = client_for("staff")
    url = reverse("scoring:round_export", args=[round_.pk])
    chinese = load_workbook(BytesIO(client.get(url).content)).active
    assert chinese["A1"].value == "村居代码"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = load_workbook(BytesIO(client.get(url).content)).active
    assert english["A1"].value == "Village code"
