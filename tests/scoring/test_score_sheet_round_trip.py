"""Export → edit → import gives exactly the edited scores, whether the sheet was edited by a script, saved
by LibreOffice or exported in the other language; an error names the row and the column's heading as the
sheet heads it."""

import shutil
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from scoring.exporter import score_sheet
from scoring.importer import apply_import, build_preview
from scoring.models import Score

from ..scoring_helpers import fill_scores, make_round

FIXTURES = Path(__file__).parents[1] / "fixtures"
SOFFICE = shutil.which("soffice")


@pytest.fixture
def round_(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95")  # BZ1 0 (测试扣分), every other indicator full
    fill_scores(round_, cast.village_b, "88")  # BZ1 0, BZ2 0, BZ3 2, every other indicator full
    return round_


def scores(round_) -> dict[tuple[str, str], tuple[Decimal, str]]:
    rows = Score.objects.filter(round=round_).values_list("village__code", "indicator__code", "points", "reason")
    return {(village, indicator): (points, reason) for village, indicator, points, reason in rows}


def edited(data: bytes, cells: dict[str, object]) -> bytes:
    """The exported workbook with some cells typed over, as a person edits it: the rest (headings,
    validation, frozen panes, formats) kept."""
    workbook = load_workbook(BytesIO(data))
    for reference, value in cells.items():
        workbook.active[reference] = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Village A is row 2, village B row 3; BZ1 is columns C (points) and D (reason), BZ3 G and H, BZ4 I and J,
# GB2 Q and R.
EDITS = {"Q2": 3.5, "R2": "收受礼金1500元", "Q3": 4, "R3": "收受购物卡1张", "C2": 5, "D2": None}


def expect_edited(before: dict, cast) -> dict:
    return before | {
        (cast.village_a.code, "GB2"): (Decimal("3.50"), "收受礼金1500元"),
        (cast.village_b.code, "GB2"): (Decimal("4.00"), "收受购物卡1张"),
        (cast.village_a.code, "BZ1"): (Decimal("5.00"), ""),  # full marks clear the reason
    }


def test_export_edit_import_gives_exactly_the_edited_scores(round_, cast):
    before = scores(round_)
    data = edited(score_sheet(round_, [cast.village_a, cast.village_b]), EDITS)
    preview = apply_import(round_, data, "2025评分.xlsx", acting_user=cast.users["staff"])
    assert preview.ok, [str(error) for error in preview.errors]
    assert len(preview.changes) == 3
    assert scores(round_) == expect_edited(before, cast)


def test_an_export_reimported_unchanged_changes_nothing_in_either_language(round_, cast):
    villages = [cast.village_a, cast.village_b]
    with translation.override("en"):
        english = score_sheet(round_, villages)
    assert build_preview(round_, english, "scores.xlsx").changes == []  # imported under the Chinese UI
    assert build_preview(round_, score_sheet(round_, villages), "scores.xlsx").changes == []


def test_points_above_the_maximum_are_named_by_row_and_heading(round_, cast):
    data = edited(score_sheet(round_, [cast.village_a, cast.village_b]), {"G3": 5, "I2": -1})
    preview = build_preview(round_, data, "scores.xlsx")
    assert [str(error) for error in preview.errors] == [
        "第2行 BZ4 村务监督委员会履职（满分4）：不能为负数",
        "第3行 BZ3 村级组织换届风气（满分4）：超过满分",
    ]


def test_a_heading_typed_over_is_named_as_typed(round_, cast):
    data = edited(score_sheet(round_, [cast.village_a]), {"G1": "BZ3（满分4）", "G2": "四分"})
    assert [str(error) for error in build_preview(round_, data, "scores.xlsx").errors] == [
        "第2行 BZ3（满分4）：“四分”不是数字。"
    ]


def saved_by_libreoffice(data: bytes, folder: Path) -> bytes:
    source = folder / "in" / "scores.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (folder / "out" / "scores.xlsx").read_bytes()


def assert_libreoffice_kept_the_sheet(data: bytes) -> None:
    """Headings and validations. (A conversion without a window writes no view settings, so not the frozen
    panes; LibreOffice saving a sheet a person has open keeps them.)"""
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["G1"].value == "BZ3 村级组织换届风气（满分4）"
    validation = next(v for v in sheet.data_validations.dataValidation if "G2" in v.sqref)
    assert (validation.type, validation.formula1, validation.formula2) == ("decimal", "0", "4")
    assert validation.error == "请填写得分：0至4之间的数，最多两位小数。"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_sheet_saved_by_libreoffice_imports_the_same_scores(round_, cast, tmp_path):
    before = scores(round_)
    data = saved_by_libreoffice(edited(score_sheet(round_, [cast.village_a, cast.village_b]), EDITS), tmp_path)
    assert_libreoffice_kept_the_sheet(data)
    assert apply_import(round_, data, "scores.xlsx", acting_user=cast.users["staff"]).ok
    assert scores(round_) == expect_edited(before, cast)


def test_the_sheet_libreoffice_7_4_saved_imports_the_same_scores(round_, cast):
    """The fixture is this round's export with EDITS, converted by LibreOffice 7.4 (Debian 12) as in the
    test above: it runs where LibreOffice is not installed."""
    before = scores(round_)
    data = (FIXTURES / "scores-template-libreoffice.xlsx").read_bytes()
    assert_libreoffice_kept_the_sheet(data)
    assert apply_import(round_, data, "scores.xlsx", acting_user=cast.users["staff"]).ok
    assert scores(round_) == expect_edited(before, cast)


def test_the_import_page_lists_each_error_by_row_and_heading(round_, cast, client_for):
    data = edited(score_sheet(round_, [cast.village_a, cast.village_b]), {"G3": 5})
    upload = SimpleUploadedFile("2025评分.xlsx", data)
    page = client_for("staff").post(reverse("scoring:round_import", args=[round_.pk]), {"file": upload})
    html = page.content.decode()
    assert "以导出的表格为模板：村居代码和名称" in html
    assert "<td>3</td><td>BZ3 村级组织换届风气（满分4）</td><td>超过满分</td>" in html
