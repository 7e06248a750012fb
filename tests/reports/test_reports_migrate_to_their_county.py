"""Reports made before issue 18 are placed in their county by the migration: a township's report in the
township's county; a county summary, a batch and an edited text in the county of the staff member who
asked for them (a one-district installation: its only district); their history rows follow."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from villages.models import District, Township

BEFORE = [("reports", "0002_notice_links_follow_the_pages")]
AFTER = [("reports", "0003_reports_belong_to_a_county_and_the_city_report")]


def migrated_to(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    executor.loader.build_graph()
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_reports_made_before_counties_land_in_their_county():
    old = migrated_to(BEFORE)
    try:
        # The places and the user as they are now (their tables are at the latest schema); the reports as
        # they were.
        district = District.objects.create(code="331004", name="路桥区")
        township = Township.objects.create(code="331004001", name="路桥街道", district=district)
        staff = User.objects.create(username="old-staff", district=district)
        common = {"year": 2024, "requested_by_id": staff.pk, "size": 1, "round_label": "2024 第1版", "seconds": 1}
        versions = old.get_model("reports", "ReportVersion")
        batch = old.get_model("reports", "ReportBatch").objects.create(year=2024, total=2, requested_by_id=staff.pk)
        versions.objects.create(
            township_id=township.pk, number=1, job_id="t", batch=batch, file="reports/2024/t.pdf", **common
        )
        versions.objects.create(township=None, number=1, job_id="d", batch=batch, file="reports/2024/d.pdf", **common)
        old.get_model("reports", "ReportDraft").objects.create(
            township=None, year=2024, text="建议", edited_by_id=staff.pk
        )
        now = timezone.now()
        old.get_model("reports", "HistoricalReportBatch").objects.create(
            id=batch.pk,
            year=2024,
            total=2,
            requested_by_id=staff.pk,
            requested_at=now,
            history_date=now,
            history_type="+",
        )

        new = migrated_to(AFTER)
        placed = [
            (model, row.district_id)
            for model in ("ReportVersion", "ReportBatch", "ReportDraft")
            for row in new.get_model("reports", model).objects.all()
        ]
        assert placed == [
            ("ReportVersion", district.pk),
            ("ReportVersion", district.pk),
            ("ReportBatch", district.pk),
            ("ReportDraft", district.pk),
        ]
        assert new.get_model("reports", "HistoricalReportBatch").objects.get().district_id == district.pk
    finally:
        migrated_to(AFTER)
