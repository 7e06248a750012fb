"""The village list's export is headed in the user's language, and the organisation import takes it back
whichever language headed it, as it takes the column names."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import CheckedXLSX
from villages.models import Village
from villages.resources import VillageResource


def renamed(data: bytes, name: str) -> bytes:
    workbook = load_workbook(BytesIO(data))
    workbook.active["B2"] = name
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_exported_list_imports_back_whatever_its_headings_language(cast, client_for, language):
    client = client_for("secretary_a")  # the own township's one village
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    data = client.get(reverse("villages:export")).content
    heading = load_workbook(BytesIO(data)).active["F1"].value
    assert heading == {"zh-hans": "并入村居代码", "en": "Merged into (code)"}[language]
    dataset = CheckedXLSX().create_dataset(renamed(data, "石曲村（更名）"))
    result = VillageResource().import_data(dataset, dry_run=False, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Village.objects.get(code=cast.village_a.code).name == "石曲村（更名）"
