"""The rectification ledger (整改台账) as a secretary reads it, on a phone's short screen above all: what is
overdue first, then the open findings by due date, the closed ones last (a closed finding that was
overdue included); the filters, the xlsx export and the village's page keep that order."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.services import overdue_mark

from ..inspection_helpers import closed, finding, inspection

IN_LEDGER_ORDER = ["四月中到期，逾期", "五月到期，逾期", "八月到期", "九月到期", "四月初到期，已销号"]


@pytest.fixture
def ledger(cast):
    """Five findings of township A recorded out of order, and an overdue one of township B."""
    round_ = inspection(cast, villages=[cast.village_a, cast.village_b])
    for due_on, description in [
        (date(2025, 9, 1), "九月到期"),
        (date(2025, 4, 1), "四月初到期，已销号"),
        (date(2025, 5, 10), "五月到期，逾期"),
        (date(2025, 8, 1), "八月到期"),
        (date(2025, 4, 15), "四月中到期，逾期"),
    ]:
        finding(cast, round_, due_on=due_on, description=description)
    finding(cast, round_, village=cast.village_b, owner="secretary_b", due_on=date(2025, 4, 2), description="外镇逾期")
    overdue_mark(today=date(2025, 6, 1))
    late_but_closed = round_.findings.get(description="四月初到期，已销号")
    closed(cast, late_but_closed, on=date(2025, 6, 10))


def test_the_ledger_lists_overdue_findings_first_then_by_due_date_and_closed_ones_last(
    ledger, client_for, django_assert_max_num_queries
):
    client = client_for("secretary_a")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inspections:findings"))
    assert [item.description for item in response.context["page"]] == IN_LEDGER_ORDER
    assert sorted(IN_LEDGER_ORDER, key=response.content.decode().index) == IN_LEDGER_ORDER


def test_the_overdue_filter_the_export_and_the_village_page_keep_the_ledgers_order(ledger, cast, client_for):
    client = client_for("secretary_a")
    overdue = client.get(reverse("inspections:findings"), {"status": "overdue"})
    assert [item.description for item in overdue.context["page"]] == IN_LEDGER_ORDER[:2]

    export = client.get(reverse("inspections:findings"), {"format": "xlsx"})
    rows = load_workbook(BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)
    assert [next(cell for cell in row if cell in IN_LEDGER_ORDER) for row in rows] == IN_LEDGER_ORDER

    village_page = client.get(reverse("villages:detail", args=[cast.village_a.code])).content.decode()
    assert sorted(IN_LEDGER_ORDER, key=village_page.index) == IN_LEDGER_ORDER
