"""Score import and export: one importer for the browser and the command line, all or nothing,
errors in Chinese naming the row and the column's heading, hostile files refused before parsing. Most
sheets here are headed as the older templates (code, name, BZ1, BZ1 理由), which are still read; the
exported sheet's own layout is in test_score_sheet_*.py."""

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

import core.spreadsheets
from audit.models import AuditEvent, EventType
from inspections.services import finding_cite
from scoring.exporter import score_sheet
from scoring.importer import NO_REASON_COLUMN, ImportRefused, apply_import, build_preview
from scoring.models import Indicator, Score
from scoring.services import (
    DEDUCTION_REASON_UNCHANGED,
    round_compute_results,
    round_correct,
)

from ..factories import VillageFactory
from ..inspection_helpers import finding
from ..scoring_helpers import fill_scores, make_round

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture
def round_(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95")
    fill_scores(round_, cast.village_b, "88")
    return round_


def workbook_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_rows(data: bytes) -> list[list]:
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def points(round_, village, code) -> Decimal:
    return Score.objects.get(round=round_, village=village, indicator__code=code).points


def reason(round_, village, code) -> str:
    return Score.objects.get(round=round_, village=village, indicator__code=code).reason


def test_export_edit_import_changes_exactly_the_edited_cells(round_, cast):
    rows = sheet_rows(score_sheet(round_, [cast.village_a, cast.village_b]))
    assert rows[0][:4] == ["村居代码", "村居名称", "BZ1 落实全面从严治党主体责任（满分5）", "BZ1 理由"]
    assert len(rows[0]) == 2 + 2 * 23
    before = dict(Score.objects.filter(round=round_).values_list("id", "points"))
    rows[1][rows[0].index("CW2 集体资金管理（满分5）")] = 3.5
    rows[1][rows[0].index("CW2 理由")] = "坐收坐支1.5万元"
    rows[2][rows[0].index("MF4 移风易俗（满分5）")] = 4
    rows[2][rows[0].index("MF4 理由")] = "红白喜事大操大办1件"
    preview = apply_import(round_, workbook_bytes(rows), "scores.xlsx", acting_user=cast.users["staff"])
    assert preview.ok and len(preview.changes) == 2
    after = dict(Score.objects.filter(round=round_).values_list("id", "points"))
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {
        Score.objects.get(round=round_, village=cast.village_a, indicator__code="CW2").pk,
        Score.objects.get(round=round_, village=cast.village_b, indicator__code="MF4").pk,
    }
    assert points(round_, cast.village_a, "CW2") == Decimal("3.5")
    assert reason(round_, cast.village_a, "CW2") == "坐收坐支1.5万元"
    event = AuditEvent.objects.get(event_type=EventType.IMPORTED)
    assert event.data["updated"] == 2 and event.actor_username == "staff"
    assert Score.history.filter(history_change_reason__contains="scores.xlsx").count() == 2


def header() -> list[str]:
    return ["code", "name", *Indicator.objects.filter(scheme__name="四清标准").values_list("code", flat=True)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "超过满分"),
        (-1, "不能为负数"),
        ("五分", "“五分”不是数字。"),
        ("4.125", "4.125超过两位小数。"),
    ],
)
def test_each_bad_value_is_refused_with_its_row_and_column_and_nothing_is_written(round_, cast, value, message):
    rows = [header(), [cast.village_a.code, "石曲村", 5, value]]
    before = list(Score.objects.values_list("id", "points", "version"))
    preview = apply_import(round_, workbook_bytes(rows), "bad.xlsx", acting_user=cast.users["staff"])
    assert [str(error) for error in preview.errors] == [f"第2行 BZ2：{message}"]
    assert list(Score.objects.values_list("id", "points", "version")) == before


def test_unknown_codes_and_duplicate_rows_are_refused(round_, cast):
    rows = [
        header(),
        ["331004009999", "无此村", 5],
        [cast.village_a.code, "石曲村", 5],
        [cast.village_a.code, "石曲村", 4],
    ]
    preview = build_preview(round_, workbook_bytes(rows), "bad.xlsx")
    assert [(e.row, e.column) for e in preview.errors] == [(2, "code"), (4, "code")]
    assert "331004009999" in preview.errors[0].message and "第3行" in preview.errors[1].message


def test_an_unknown_indicator_column_is_refused(round_, cast):
    preview = build_preview(
        round_, workbook_bytes([["code", "name", "ZZ9"], [cast.village_a.code, "石曲村", 1]]), "x.xlsx"
    )
    assert (preview.errors[0].row, preview.errors[0].column) == (1, "ZZ9")


def test_full_width_digits_and_trailing_spaces_are_normalised(round_, cast):
    rows = [[*header()[:3], "BZ1 理由"], [f" {cast.village_a.code} ", "石曲村", "４．５ ", "责任清单未落实：1项 "]]
    preview = apply_import(round_, workbook_bytes(rows), "fw.xlsx", acting_user=cast.users["staff"])
    assert preview.ok
    assert points(round_, cast.village_a, "BZ1") == Decimal("4.5")
    # A reason is the user's words: only the spaces around it go (no full-width "：" turned into ":").
    assert reason(round_, cast.village_a, "BZ1") == "责任清单未落实：1项"


def zip_bytes(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"code,name\n331004001201,x\n", "scores.csv", "这不是xlsx文件，请另存为Excel工作簿（.xlsx）。"),
        (
            zip_bytes({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"macro"}),
            "scores.xlsx",
            "不接受含宏的文件，请另存为 .xlsx 格式。",
        ),
        (zip_bytes({"xl/workbook.xml": b"<x/>"}), "scores.xlsm", "不接受含宏的文件（.xlsm），请另存为 .xlsx 格式。"),
        (
            zip_bytes({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 30_000_000}),
            "bomb.xlsx",
            "文件解压后超过20 MB，导入表格不会这么大。",
        ),
        (
            zip_bytes({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * 5_000_000}),
            "bomb.xlsx",
            "文件压缩比超过100:1，不是正常的表格。",
        ),
    ],
)
def test_hostile_files_are_refused_before_parsing(round_, data, filename, message):
    with pytest.raises(ImportRefused, match=re.escape(message)):
        build_preview(round_, data, filename)


def test_too_many_rows_are_refused(round_, cast, monkeypatch):
    monkeypatch.setattr("core.spreadsheets.MAX_ROWS", 3)
    rows = [header()] + [[cast.village_a.code, "x"]] * 5
    with pytest.raises(ImportRefused, match="文件超过3行。"):
        build_preview(round_, workbook_bytes(rows), "many.xlsx")


def test_a_file_saved_by_libreoffice_is_read_cell_by_cell(round_, cast):
    """The fixture (code, name, BZ1, MF4: 4.5 for village A, 3 for village B) predates the reason columns:
    each of its two deductions is read, and the error says where its reason goes."""
    data = (FIXTURES / "scores-libreoffice.xlsx").read_bytes()
    preview = build_preview(round_, data, "scores-libreoffice.xlsx")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "BZ1", str(NO_REASON_COLUMN % {"code": "BZ1", "header": "BZ1 理由"})),  # 0 → 4.5
        (3, "MF4", str(NO_REASON_COLUMN % {"code": "MF4", "header": "MF4 理由"})),  # 5 → 3
    ]


def test_the_command_line_imports_and_dry_runs(round_, cast, tmp_path, capsys):
    rows = [["code", "name", "MF4", "MF4 理由"], [cast.village_a.code, "石曲村", 2, "大操大办3件"]]
    file = tmp_path / "scores.xlsx"
    file.write_bytes(workbook_bytes(rows))
    call_command("import_scores", str(file), period="2025", dry_run=True)
    out = capsys.readouterr().out
    assert "Would change 1" in out and "5.00 -> 2.00 (大操大办3件)" in out
    assert points(round_, cast.village_a, "MF4") == Decimal("5")
    call_command("import_scores", str(file), period="2025")
    assert points(round_, cast.village_a, "MF4") == Decimal("2")
    assert AuditEvent.objects.get(event_type=EventType.IMPORTED).actor_username == "manage.py import_scores"


def test_the_command_line_fails_with_the_row_numbers(round_, cast, tmp_path, capsys):
    file = tmp_path / "bad.xlsx"
    file.write_bytes(workbook_bytes([header()[:3], [cast.village_a.code, "石曲村", 9]]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_scores", str(file), period="2025")
    assert "第2行" in capsys.readouterr().err


def test_export_scores_writes_the_template(round_, cast, tmp_path):
    file = tmp_path / "out.xlsx"
    call_command("export_scores", str(file), period="2025")
    rows = sheet_rows(file.read_bytes())
    assert rows[0][:3] == ["村居代码", "村居名称", "BZ1 落实全面从严治党主体责任（满分5）"] and {
        row[0] for row in rows[1:]
    } == {
        cast.village_a.code,
        cast.village_b.code,
    }


def test_an_exported_name_that_looks_like_a_formula_stays_text(round_, cast):
    cast.village_a.name = "=cmd|' /C calc'!A0"
    cast.village_a.save()
    sheet = load_workbook(io.BytesIO(score_sheet(round_, [cast.village_a]))).active
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=cmd")


def test_xml_inside_xlsx_is_parsed_with_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


# --- Reasons: each indicator's reason column, the same rules as the grid ----------------------------------


def test_the_exported_sheet_carries_each_indicators_reason_beside_its_points(round_, cast):
    rows = sheet_rows(score_sheet(round_, [cast.village_a]))
    assert rows[0][2:6] == [
        "BZ1 落实全面从严治党主体责任（满分5）",
        "BZ1 理由",
        "BZ2 “三重一大”事项集体决策（满分5）",
        "BZ2 理由",
    ]
    assert rows[1][2:6] == [0, "测试扣分", 5, None]


def test_an_imported_deduction_without_a_reason_is_an_error_in_its_row_and_column(round_, cast):
    rows = [["code", "name", "MF4", "MF4 理由", "CW2"], [cast.village_a.code, "石曲村", 3, "  ", 4]]
    preview = build_preview(round_, workbook_bytes(rows), "scores.xlsx")
    # Without a reason column (CW2) the error is on the points, and says where the reason goes.
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "MF4 理由", "扣分必须填写理由。"),
        (2, "CW2", "变更的扣分须填写理由，但表中没有CW2的理由列：请重新导出模板，或增加一列，列名为“CW2 理由”。"),
    ]


def test_an_imported_new_amount_with_the_old_reason_is_refused_as_in_the_grid(round_, cast):
    rows = [["code", "name", "BZ1", "BZ1 理由"], [cast.village_a.code, "石曲村", 1, "测试扣分"]]
    before = list(Score.objects.values_list("id", "points", "reason", "version"))
    preview = apply_import(round_, workbook_bytes(rows), "scores.xlsx", acting_user=cast.users["staff"])
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(2, "BZ1 理由", str(DEDUCTION_REASON_UNCHANGED))]
    assert list(Score.objects.values_list("id", "points", "reason", "version")) == before


def test_an_imported_reason_alone_is_a_change_and_the_file_name_goes_to_the_history_only(round_, cast):
    rows = [["code", "name", "BZ1", "BZ1 理由"], [cast.village_a.code, "石曲村", 0, "未研究部署党风廉政建设"]]
    preview = apply_import(round_, workbook_bytes(rows), "2025评分.xlsx", acting_user=cast.users["staff"])
    assert [(c.indicator.code, c.before, c.after, c.reason) for c in preview.changes] == [
        ("BZ1", Decimal("0"), Decimal("0"), "未研究部署党风廉政建设")
    ]
    score = Score.objects.get(round=round_, village=cast.village_a, indicator__code="BZ1")
    assert (score.reason, score.version, score.updated_by) == ("未研究部署党风廉政建设", 2, cast.users["staff"])
    assert score.history.first().history_change_reason == "导入自2025评分.xlsx"
    assert AuditEvent.objects.get(event_type=EventType.IMPORTED).data["file"] == "2025评分.xlsx"


def test_an_unchanged_export_imports_as_no_change(round_, cast):
    data = score_sheet(round_, [cast.village_a, cast.village_b])
    assert build_preview(round_, data, "scores.xlsx").changes == []


def test_an_imported_full_mark_clears_the_reason_and_the_citation(round_, cast):
    item = finding(cast)
    cw5 = Indicator.objects.get(scheme=round_.period.scheme, code="CW5")
    cited = finding_cite(
        finding=item, round_=round_, indicator=cw5, points=Decimal("2"), acting_user=cast.users["staff"]
    )
    rows = [["code", "name", "CW5", "CW5 理由"], [cast.village_a.code, "石曲村", 4, cited.reason]]
    assert apply_import(round_, workbook_bytes(rows), "scores.xlsx", acting_user=cast.users["staff"]).ok
    score = Score.objects.get(pk=cited.pk)
    assert (score.points, score.reason, score.evidence, score.finding) == (Decimal("4"), "", "", None)


def test_a_reason_column_headed_in_english_is_read(round_, cast):
    rows = [["code", "name", "MF4", "MF4 reason"], [cast.village_a.code, "石曲村", 3, "红白喜事大操大办2件"]]
    assert apply_import(round_, workbook_bytes(rows), "scores.xlsx", acting_user=cast.users["staff"]).ok
    assert (points(round_, cast.village_a, "MF4"), reason(round_, cast.village_a, "MF4")) == (
        Decimal("3"),
        "红白喜事大操大办2件",
    )


def test_a_reason_without_points_or_without_its_points_column_is_refused(round_, cast):
    rows = [["code", "name", "MF4", "MF4 理由", "CW2 理由"], [cast.village_b.code, "x", None, "大操大办", None]]
    preview = build_preview(round_, workbook_bytes(rows), "scores.xlsx")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (1, "CW2 理由", "CW2的理由列须有对应的分数列CW2。"),
        (2, "MF4 理由", "填写了理由但没有分数：请同时填写分数。"),
    ]


def test_a_village_outside_the_rounds_villages_is_refused(cast):
    published = make_round(status="published")
    fill_scores(published, cast.village_a, "95")
    fill_scores(published, cast.village_b, "95")
    round_compute_results(published)
    correction = round_correct(round_=published, acting_user=cast.users["staff"], reason="更正")
    newcomer = VillageFactory(township=cast.township_a, name="新建村")
    rows = [["code", "name", "MF4", "MF4 理由"], [newcomer.code, "新建村", 5, None]]
    preview = build_preview(correction, workbook_bytes(rows), "scores.xlsx")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(2, "code", "新建村不在本轮评分的村居之中。")]


# --- Formulas: their computed value, or a refusal -------------------------------------------------------

FORMULA_REFUSED = "该单元格是公式，但文件中没有计算结果：请用Excel或WPS打开并保存后再导入，或直接填写数值。"


def formula_sheet(cast) -> bytes:
    """Written by a script: openpyxl stores formulas without their computed values."""
    return workbook_bytes(
        [
            ["code", "name", "MF4", "MF4 理由"],
            [cast.village_a.code, "石曲村", "=2+1", "红白喜事大操大办2件"],
            [cast.village_b.code, "x", 4, '="大操大办"&"1件"'],
        ]
    )


def with_computed_values(data: bytes, values: dict[bytes, bytes]) -> bytes:
    """The sheet as Excel or WPS saves it: each formula's computed value stored beside it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                for formula, value in values.items():
                    assert b"<f>" + formula + b"</f><v />" in content
                    content = content.replace(b"<f>" + formula + b"</f><v />", b"<f>" + formula + b"</f>" + value)
            target.writestr(entry, content)
    return buffer.getvalue()


def test_a_formula_with_its_computed_value_imports_that_value(round_, cast):
    rows = [["code", "name", "MF4", "MF4 理由"], [cast.village_a.code, "石曲村", "=2+1", "红白喜事大操大办2件"]]
    data = with_computed_values(workbook_bytes(rows), {b"2+1": b"<v>3</v>"})
    preview = apply_import(round_, data, "scores.xlsx", acting_user=cast.users["staff"])
    assert preview.ok, [str(error) for error in preview.errors]
    assert points(round_, cast.village_a, "MF4") == Decimal("3")


def test_a_formula_without_a_computed_value_is_refused_with_its_row_and_column(round_, cast):
    before = list(Score.objects.values_list("id", "points", "reason", "version"))
    preview = apply_import(round_, formula_sheet(cast), "scores.xlsx", acting_user=cast.users["staff"])
    assert [(e.row, e.column, e.message) for e in preview.errors] == [
        (2, "MF4", FORMULA_REFUSED),
        (3, "MF4 理由", FORMULA_REFUSED),
    ]
    assert list(Score.objects.values_list("id", "points", "reason", "version")) == before


def test_a_sheet_is_read_a_second_time_only_when_it_holds_formulas(round_, cast, monkeypatch):
    reads = []
    real = core.spreadsheets.load_workbook
    monkeypatch.setattr(core.spreadsheets, "load_workbook", lambda *a, **k: reads.append(k) or real(*a, **k))
    build_preview(round_, score_sheet(round_, [cast.village_a, cast.village_b]), "scores.xlsx")
    assert [read["data_only"] for read in reads] == [True]
    build_preview(round_, formula_sheet(cast), "scores.xlsx")
    assert [read["data_only"] for read in reads] == [True, True, False]
