"""Findings imported from xlsx through the shared checks: a preview with every error by row and column,
then all or nothing."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.spreadsheets import FORMULA_WITHOUT_VALUE, ImportRefused, xlsx_bytes
from inspections import importer
from inspections.models import Finding

from ..inspection_helpers import category, inspection

HEADERS = [
    "村居代码",
    "问题类别",
    "问题描述",
    "严重程度",
    "立行立改",
    "整改措施",
    "责任人",
    "跟进人",
    "发现日期",
    "整改期限",
]


def sheet(*rows) -> bytes:
    return xlsx_bytes(HEADERS, rows)


def good_row(cast, **overrides):
    row = {
        "code": cast.village_a.code,
        "category": "三资管理",
        "description": "集体资金坐收坐支",
        "severity": "较重",
        "immediate": "是",
        "measure": "纳入代理记账",
        "person": "王某",
        "owner": "secretary_a",
        "found": "2025-03-05",
        "due": "2025-05-31",
    }
    row.update(overrides)
    return list(row.values())


def test_a_good_sheet_is_previewed_then_imported(cast):
    category()
    round_ = inspection(cast)
    data = sheet(good_row(cast), good_row(cast, code=cast.village_b.code, owner="secretary_b", immediate="否"))
    preview = importer.build_preview(round_, data, "问题清单.xlsx")
    assert preview.ok and len(preview.findings) == 2
    assert not Finding.objects.exists()
    importer.apply_import(round_, data, "问题清单.xlsx", acting_user=cast.users["staff"])
    first = Finding.objects.get(village=cast.village_a)
    assert (first.severity, first.immediate, first.due_on, first.owner) == (
        "serious",
        True,
        date(2025, 5, 31),
        cast.users["secretary_a"],
    )
    assert set(round_.targets.values_list("village", flat=True)) == {cast.village_a.pk, cast.village_b.pk}


def test_every_error_is_named_by_row_and_column_and_nothing_is_written(cast):
    category()
    round_ = inspection(cast)
    data = sheet(
        good_row(cast),
        good_row(cast, code="999999999999"),
        good_row(cast, category="不存在的类别", due="明年"),
        good_row(cast, owner="nobody", immediate="也许"),
        good_row(cast, found="2025-06-01", due="2025-05-01"),
    )
    preview = importer.build_preview(round_, data, "问题清单.xlsx")
    located = {(error.row, error.column) for error in preview.errors}
    assert {(3, "村居代码"), (4, "问题类别"), (4, "整改期限"), (5, "跟进人"), (5, "立行立改")} <= located
    assert any(error.row == 6 for error in preview.errors)
    assert importer.apply_import(round_, data, "问题清单.xlsx", acting_user=cast.users["staff"]).errors
    assert not Finding.objects.exists()


def test_a_file_that_is_not_a_sheet_is_refused_before_reading(cast):
    with pytest.raises(ImportRefused, match=re.escape("这不是xlsx文件，请另存为Excel工作簿（.xlsx）。")):
        importer.build_preview(inspection(cast), b"MZ not a zip", "问题清单.xlsx")


def test_the_import_page_previews_and_confirms(cast, client_for):
    category()
    round_ = inspection(cast)
    client = client_for("staff")
    upload = SimpleUploadedFile("问题清单.xlsx", sheet(good_row(cast)))
    page = client.post(reverse("inspections:import", args=[round_.pk]), {"file": upload})
    assert page.status_code == 200 and "集体资金坐收坐支" in page.content.decode()
    confirm = client.post(reverse("inspections:import_confirm", args=[round_.pk]), {"token": page.context["token"]})
    assert confirm.status_code == 302 and Finding.objects.count() == 1
    assert client_for("secretary_a").get(reverse("inspections:import", args=[round_.pk])).status_code == 403


def test_a_date_written_as_a_formula_without_its_value_is_refused_where_it_stands(cast):
    category()
    round_ = inspection(cast)
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append([*good_row(cast)[:-1], "=DATE(2025,5,31)"])  # a script's formula: no computed value
    data = BytesIO()
    workbook.save(data)
    preview = importer.build_preview(round_, data.getvalue(), "问题清单.xlsx")
    assert [(e.row, e.column, e.message) for e in preview.errors] == [(2, "整改期限", str(FORMULA_WITHOUT_VALUE))]
