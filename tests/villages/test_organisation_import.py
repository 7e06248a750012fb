"""The organisation tree in and out of spreadsheets (django-import-export), all or nothing."""

from io import BytesIO

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from villages.models import Village
from villages.resources import VillageResource


def dataset(rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=["code", "name", "kind", "township_code", "active", "merged_into_code"])


def import_villages(rows, dry_run=False):
    return VillageResource().import_data(
        dataset(rows), dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )


def test_new_and_changed_villages_are_imported(cast):
    result = import_villages(
        [
            ("331004001202", "新桥头村", "village", "331004001", "1", ""),
            (cast.village_a.code, "石曲村（更名）", "village", "331004001", "1", ""),
        ]
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert Village.objects.get(code="331004001202").name == "新桥头村"
    assert Village.objects.get(code=cast.village_a.code).name == "石曲村（更名）"


def test_one_bad_row_writes_nothing(cast):
    result = import_villages(
        [
            ("331004001202", "新桥头村", "village", "331004001", "1", ""),
            ("331004002299", "错配村", "village", "331004001", "1", ""),  # code of another township
        ]
    )
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 2
    assert "331004001" in str(invalid.error_dict)
    assert not Village.objects.filter(code="331004001202").exists()


def test_a_merged_village_points_to_its_successor_and_is_inactive(cast):
    result = import_villages([(cast.village_a.code, "石曲村", "village", "331004001", "0", cast.village_b.code)])
    assert not result.has_validation_errors()
    assert Village.objects.get(code=cast.village_a.code).merged_into == cast.village_b


def test_a_merged_village_cannot_stay_active(cast):
    result = import_villages([(cast.village_a.code, "石曲村", "village", "331004001", "1", cast.village_b.code)])
    assert result.has_validation_errors()
    assert Village.objects.get(code=cast.village_a.code).merged_into is None


def xlsx_upload(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "kind", "township_code", "active", "merged_into_code"])
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("villages.xlsx", buffer.getvalue())


def test_the_system_admin_previews_then_confirms_an_import_in_the_admin(cast, client_for):
    client = client_for("sysadmin")
    preview = client.post(
        reverse("admin:villages_village_import"),
        {
            "import_file": xlsx_upload([("331004001203", "后洋村", "village", "331004001", 1, "")]),
            "format": "0",
            "resource": "0",
        },
    )
    assert preview.status_code == 200
    assert "后洋村" in preview.content.decode()
    assert not Village.objects.filter(code="331004001203").exists()  # a preview writes nothing
    confirm_form = preview.context["confirm_form"]
    confirm = client.post(reverse("admin:villages_village_process_import"), confirm_form.initial)
    assert confirm.status_code == 302
    assert Village.objects.get(code="331004001203").name == "后洋村"
