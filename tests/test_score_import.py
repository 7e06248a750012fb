"""Score import and export: one importer for the browser and the command line, all or nothing,
row-numbered errors in Chinese, hostile files refused before parsing."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent, EventType
from scoring.exporter import score_sheet
from scoring.importer import ImportRefused, apply_import, build_preview
from scoring.models import Indicator, Score

from .scoring_helpers import fill_scores, make_round

FIXTURES = Path(__file__).parent / "fixtures"


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


def test_export_edit_import_changes_exactly_the_edited_cells(round_, cast):
    rows = sheet_rows(score_sheet(round_, [cast.village_a, cast.village_b]))
    assert rows[0][:4] == ["code", "name", "BZ1", "BZ2"] and len(rows[0]) == 25
    before = dict(Score.objects.filter(round=round_).values_list("id", "points"))
    rows[1][rows[0].index("CW2")] = 3.5
    rows[2][rows[0].index("MF4")] = 4
    preview = apply_import(round_, workbook_bytes(rows), "scores.xlsx", acting_user=cast.users["staff"])
    assert preview.ok and len(preview.changes) == 2
    after = dict(Score.objects.filter(round=round_).values_list("id", "points"))
    changed = {pk for pk in before if before[pk] != after[pk]}
    assert changed == {
        Score.objects.get(round=round_, village=cast.village_a, indicator__code="CW2").pk,
        Score.objects.get(round=round_, village=cast.village_b, indicator__code="MF4").pk,
    }
    assert points(round_, cast.village_a, "CW2") == Decimal("3.5")
    event = AuditEvent.objects.get(event_type=EventType.IMPORTED)
    assert event.data["updated"] == 2 and event.actor_username == "staff"
    assert Score.history.filter(history_change_reason__contains="scores.xlsx").count() == 2


def header() -> list[str]:
    return ["code", "name", *Indicator.objects.filter(scheme__name="四清标准").values_list("code", flat=True)]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "超出"),
        (-1, "超出"),
        ("五分", "不是数字"),
        ("4.125", "两位小数"),
    ],
)
def test_each_bad_value_is_refused_with_its_row_and_column_and_nothing_is_written(round_, cast, value, message):
    rows = [header(), [cast.village_a.code, "石曲村", 5, value]]
    before = list(Score.objects.values_list("id", "points", "version"))
    preview = apply_import(round_, workbook_bytes(rows), "bad.xlsx", acting_user=cast.users["staff"])
    assert not preview.ok
    error = preview.errors[0]
    assert (error.row, error.column) == (2, "D") and message in error.message
    assert "第2行" in str(error) and "D列" in str(error)
    assert list(Score.objects.values_list("id", "points", "version")) == before


def test_unknown_codes_and_duplicate_rows_are_refused(round_, cast):
    rows = [
        header(),
        ["331004009999", "无此村", 5],
        [cast.village_a.code, "石曲村", 5],
        [cast.village_a.code, "石曲村", 4],
    ]
    preview = build_preview(round_, workbook_bytes(rows), "bad.xlsx")
    assert [(e.row, e.column) for e in preview.errors] == [(2, "A"), (4, "A")]
    assert "331004009999" in preview.errors[0].message and "第3行" in preview.errors[1].message


def test_an_unknown_indicator_column_is_refused(round_, cast):
    preview = build_preview(
        round_, workbook_bytes([["code", "name", "ZZ9"], [cast.village_a.code, "石曲村", 1]]), "x.xlsx"
    )
    assert (preview.errors[0].row, preview.errors[0].column) == (1, "C")


def test_full_width_digits_and_trailing_spaces_are_normalised(round_, cast):
    rows = [header()[:3], [f" {cast.village_a.code} ", "石曲村", "４．５ "]]
    preview = apply_import(round_, workbook_bytes(rows), "fw.xlsx", acting_user=cast.users["staff"])
    assert preview.ok
    assert points(round_, cast.village_a, "BZ1") == Decimal("4.5")


def zip_bytes(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"code,name\n331004001201,x\n", "scores.csv", "不是xlsx"),
        (zip_bytes({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"macro"}), "scores.xlsx", "宏"),
        (zip_bytes({"xl/workbook.xml": b"<x/>"}), "scores.xlsm", "宏"),
        (zip_bytes({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * 30_000_000}), "bomb.xlsx", "20 MB"),
        (zip_bytes({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b" " * 5_000_000}), "bomb.xlsx", "100:1"),
    ],
)
def test_hostile_files_are_refused_before_parsing(round_, data, filename, message):
    with pytest.raises(ImportRefused, match=message):
        build_preview(round_, data, filename)


def test_too_many_rows_are_refused(round_, cast, monkeypatch):
    monkeypatch.setattr("lianjie.spreadsheets.MAX_ROWS", 3)
    rows = [header()] + [[cast.village_a.code, "x"]] * 5
    with pytest.raises(ImportRefused, match="3"):
        build_preview(round_, workbook_bytes(rows), "many.xlsx")


def test_a_file_saved_by_libreoffice_imports(round_, cast):
    data = (FIXTURES / "scores-libreoffice.xlsx").read_bytes()
    preview = apply_import(round_, data, "scores-libreoffice.xlsx", acting_user=cast.users["staff"])
    assert preview.ok, [str(e) for e in preview.errors]
    assert points(round_, cast.village_a, "BZ1") == Decimal("4.5")
    assert points(round_, cast.village_b, "MF4") == Decimal("3")


def test_the_command_line_imports_and_dry_runs(round_, cast, tmp_path, capsys):
    rows = [["code", "name", "MF4"], [cast.village_a.code, "石曲村", 2]]
    file = tmp_path / "scores.xlsx"
    file.write_bytes(workbook_bytes(rows))
    call_command("import_scores", str(file), period="2025", dry_run=True)
    assert "Would change 1" in capsys.readouterr().out
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
    assert rows[0][:3] == ["code", "name", "BZ1"] and {row[0] for row in rows[1:]} == {
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
