"""Hostile spreadsheets at every import entry point: the findings and score-sheet import pages and the
admin's organisation import. A sheet wider or longer than the caps, packed like a zip bomb, or broken is
refused with a translated message before openpyxl holds it in memory, and nothing is imported."""

import io
import random
import string
import tracemalloc
import zipfile
from functools import cache
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import core.spreadsheets
from core.spreadsheets import ImportRefused, uncomputed_formulas
from villages.models import Village

from ..inspection_helpers import inspection
from ..scoring_helpers import make_round

TOO_WIDE = "文件超过100列。"
TOO_LONG = "文件超过25000行。"
UNREADABLE = "无法读取该电子表格。"
ZIP_BOMB = "文件解压后超过20 MB，导入表格不会这么大。"
VILLAGE_HEADERS = ["code", "name", "kind", "township_code", "active", "merged_into_code"]


def saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The xlsx with some of its parts replaced (None: left out)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = parts.get(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return buffer.getvalue()


def hand_written_sheet(rows: str, *, dimension: str | None = None) -> bytes:
    """A workbook whose sheet XML says what a hostile file says, `<dimension>` and `<row>`s."""
    workbook = openpyxl.Workbook()
    workbook.active.append(VILLAGE_HEADERS)
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{rows}</sheetData></worksheet>"
    )
    return with_parts(saved(workbook), {"xl/worksheets/sheet1.xml": sheet.encode()})


def numbered_rows(count: int, *, last_column: str = "") -> str:
    """Rows 1 to `count`, a number in column A and, with `last_column`, another cell far to the right."""
    far = (lambda n: f'<c r="{last_column}{n}"><v>1</v></c>') if last_column else (lambda n: "")
    return "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c>{far(n)}</row>' for n in range(1, count + 1))


def unknown_elements(count: int) -> str:
    """Tiny elements of no spreadsheet's vocabulary, named at random so that they do not compress 100:1."""
    letters = random.Random(1).choices(string.ascii_letters, k=2 * count)
    return "".join(f"<{first}{second}/>" for first, second in zip(letters[::2], letters[1::2], strict=True))


# Each at most a few MB uploaded; before the caps, each of the first two held 3.2 GB once read.
HOSTILE = {
    "declares 16,384 columns": (lambda: hand_written_sheet(numbered_rows(25_000), dimension="A1:XFD25000"), TOO_WIDE),
    "every row reaches column XFD, no dimension": (
        lambda: hand_written_sheet(numbered_rows(25_000, last_column="XFD")),
        TOO_WIDE,
    ),
    "declares a million rows": (lambda: hand_written_sheet(numbered_rows(30_000), dimension="A1:J1048576"), TOO_LONG),
    "30,000 rows, no dimension": (lambda: hand_written_sheet(numbered_rows(30_000)), TOO_LONG),
    # openpyxl kept each of these whole: 468 MB for 3.8 million tiny elements (7 MB uploaded), 180 MB for
    # 1.15 million empty rows.
    "2 million unknown elements among the rows": (lambda: hand_written_sheet(unknown_elements(2_000_000)), UNREADABLE),
    "1.15 million empty rows": (
        lambda: hand_written_sheet("".join(f'<row r="{n}"/>' for n in range(1, 1_150_001))),
        TOO_LONG,
    ),
}


@cache
def hostile(name: str) -> bytes:
    return HOSTILE[name][0]()


def a_real_sheet() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(VILLAGE_HEADERS)
    workbook.active.append(["331004001203", "后洋村", "village", "331004001", 1, ""])
    return saved(workbook)


BROKEN = {
    "workbook XML cut short": lambda: with_parts(a_real_sheet(), {"xl/workbook.xml": b"<workbook xmlns="}),
    "sheet XML cut short": lambda: with_parts(
        a_real_sheet(), {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}
    ),
    "worksheet missing": lambda: with_parts(a_real_sheet(), {"xl/worksheets/sheet1.xml": None}),
}


def findings_import(cast):
    return "staff", reverse("inspections:import", args=[inspection(cast).pk]), "file", {}


def score_import(cast):
    return "staff", reverse("scoring:round_import", args=[make_round().pk]), "file", {}


def admin_village_import(cast):
    return "sysadmin", reverse("admin:villages_village_import"), "import_file", {"format": "0", "resource": "0"}


ENTRY_POINTS = [findings_import, score_import, admin_village_import]


def upload(entry_point, cast, client_for, data: bytes):
    """Posts the file to the import page; (the page, the file field's errors, the peak of the memory
    Python allocated while the page handled it, in MB)."""
    user, url, field, form = entry_point(cast)
    client = client_for(user)
    file = SimpleUploadedFile("问题清单.xlsx", data)
    tracemalloc.start()
    try:
        page = client.post(url, {field: file, **form})
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return page, page.context["form"].errors.get(field), peak


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_sheet_beyond_the_caps_is_refused_within_100_mb(cast, client_for, entry_point, name):
    _page, errors, peak = upload(entry_point, cast, client_for, hostile(name))
    assert errors == [HOSTILE[name][1]]
    assert peak < 100, f"{peak:.0f} MB"


def test_the_formula_check_reads_no_wider_than_the_cap():
    """It reads the sheet a second time, cells and all: held to the same caps as the first read."""
    data = hand_written_sheet('<row r="1"><c r="A1"><f>1+1</f></c></row>', dimension="A1:XFD1")
    with pytest.raises(ImportRefused, match=TOO_WIDE):
        uncomputed_formulas(data, rows=[])


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_broken_xlsx_is_a_form_error_not_a_server_error(cast, client_for, entry_point, name):
    page, errors, _peak = upload(entry_point, cast, client_for, BROKEN[name]())
    assert page.status_code == 200
    assert errors == [UNREADABLE]


def test_the_admin_refuses_a_zip_bomb_before_openpyxl_opens_it(cast, client_for):
    bomb = with_parts(a_real_sheet(), {"xl/worksheets/sheet1.xml": b"<worksheet>" + b"0" * 42_000_000})
    assert len(bomb) < 100_000
    real = openpyxl.load_workbook
    with (
        mock.patch("openpyxl.load_workbook", wraps=real) as opened,  # as django-import-export calls it
        mock.patch.object(core.spreadsheets, "load_workbook", wraps=real) as opened_here,
    ):
        page, errors, _peak = upload(admin_village_import, cast, client_for, bomb)
    assert errors == [ZIP_BOMB]
    assert not opened.called and not opened_here.called
    assert "confirm_form" not in page.context


def test_the_admin_refuses_a_sheet_wider_than_the_cap_and_imports_nothing(cast, client_for):
    workbook = openpyxl.Workbook()
    workbook.active.append(VILLAGE_HEADERS)
    workbook.active.append(["331004001203", "后洋村", "village", "331004001", 1, ""])
    workbook.active["XFD2"] = "x"
    page, errors, _peak = upload(admin_village_import, cast, client_for, saved(workbook))
    assert errors == [TOO_WIDE]
    assert "confirm_form" not in page.context
    assert not Village.objects.filter(code="331004001203").exists()


def test_a_row_or_a_sheet_holding_far_more_elements_than_a_real_one_is_refused_early():
    crowded_cell = f'<row r="1"><c r="A1" t="inlineStr"><is>{"<r><t>x</t></r>" * 3_000}</is></c></row>'
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{numbered_rows(2)}</sheetData><x>{unknown_elements(100_001)}</x></worksheet>"
    )
    beside_the_rows = with_parts(a_real_sheet(), {"xl/worksheets/sheet1.xml": sheet.encode()})
    for data in (hand_written_sheet(crowded_cell), beside_the_rows):
        with pytest.raises(ImportRefused, match=UNREADABLE):
            core.spreadsheets.check_container(data)
    core.spreadsheets.check_container(a_real_sheet())  # a real one passes
