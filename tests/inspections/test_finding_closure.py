"""The rectification ledger: progress by the own township's secretary, closure (对账销号) only with
evidence and by an approver other than the one who follows the finding, reopening, and the daily
overdue marking, also through a real Celery worker on Redis."""

from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from audit.models import AuditEvent
from inspections import services
from inspections.models import Finding
from inspections.tasks import mark_overdue
from lianjie.celery import app

from ..inspection_helpers import closed, finding, pdf


def test_the_secretary_records_progress_with_evidence_and_submits(cast):
    item = finding(cast)
    services.progress_record(finding=item, acting_user=cast.users["secretary_a"], note="已清理收支", uploads=[pdf()])
    item.refresh_from_db()
    assert item.status == Finding.Status.RECTIFYING
    assert item.evidence.get().original_name == "整改照片.pdf"
    assert services.closure_submit(finding=item, acting_user=cast.users["secretary_a"]).status == "submitted"


def test_another_townships_secretary_cannot_record_progress(cast):
    with pytest.raises(PermissionDenied):
        services.progress_record(finding=finding(cast), acting_user=cast.users["secretary_b"], note="x")


def test_closure_needs_evidence(cast):
    item = finding(cast)
    services.progress_record(finding=item, acting_user=cast.users["secretary_a"], note="口头说已整改")
    with pytest.raises(ValidationError) as error:
        services.closure_submit(finding=item, acting_user=cast.users["secretary_a"])
    assert error.value.code == "evidence"


def test_closure_needs_an_approver_other_than_the_owner(cast):
    item = finding(cast, owner="staff")
    services.progress_record(finding=item, acting_user=cast.users["staff"], note="已整改", uploads=[pdf()])
    services.closure_submit(finding=item, acting_user=cast.users["staff"])
    with pytest.raises(ValidationError) as error:
        services.finding_close(finding=item, acting_user=cast.users["staff"], verification="自己核查")
    assert error.value.code == "same_person"
    with pytest.raises(PermissionDenied):  # the leader approves rounds, not rectification
        services.finding_close(finding=item, acting_user=cast.users["leader"], verification="核查")
    # And the database refuses it whoever writes.
    with pytest.raises(IntegrityError, match="finding_closed_by_another"):
        Finding.objects.filter(pk=item.pk).update(status="closed", closed_by=cast.users["staff"])


def test_a_closed_finding_can_be_reopened_with_a_new_due_date(cast):
    item = closed(cast, finding(cast), on=date(2025, 4, 20))
    assert (item.status, item.closed_by, item.closed_on) == ("closed", cast.users["staff"], date(2025, 4, 20))
    reopened = services.finding_reopen(
        finding=item, acting_user=cast.users["staff"], reason="回访发现反弹", due_on=date(2025, 8, 1)
    )
    assert (reopened.status, reopened.closed_by, reopened.due_on) == ("reopened", None, date(2025, 8, 1))
    assert "回访发现反弹" in reopened.progress.last().note


def test_the_daily_job_marks_overdue_and_clears_closed(cast):
    late = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    on_time = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 6, 30))
    assert services.overdue_mark(today=date(2025, 4, 30)) == 0
    assert services.overdue_mark(today=date(2025, 5, 1)) == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue_since == date(2025, 4, 30) and on_time.overdue_since is None
    closed(cast, late, on=date(2025, 5, 3))
    services.overdue_mark(today=date(2025, 5, 4))
    late.refresh_from_db()
    assert late.overdue_since is None
    # Marking and clearing are changes like any other: both are in the audit log.
    flags = [
        event.data["changes"]["overdue_since"]
        for event in AuditEvent.objects.filter(target_type="inspections.Finding", target_id=str(late.pk)).order_by(
            "seq"
        )
        if "overdue_since" in event.data.get("changes", {})
    ]
    assert flags == [{"before": None, "after": "2025-04-30"}, {"before": "2025-04-30", "after": None}]


def test_the_overdue_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-rectification-daily"]
    assert entry["task"] == "inspections.tasks.mark_overdue"
    assert entry["schedule"].total_seconds() == 86_400


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_marks_overdue_over_redis(cast):
    from celery.contrib.testing.worker import start_worker

    item = finding(cast, found_on=date(2024, 3, 1), due_on=date(2024, 4, 30))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert mark_overdue.delay().get(timeout=30) == 1
    item.refresh_from_db()
    assert item.overdue_since == date(2024, 4, 30)


def test_overdue_shows_in_the_ledger_and_on_the_village_page(cast, client_for):
    finding(cast, found_on=date(2024, 3, 1), due_on=date(2024, 4, 30), description="三资台账缺失")
    services.overdue_mark(today=date(2024, 5, 1))
    secretary = client_for("secretary_a")
    ledger = secretary.get(reverse("inspections:findings"), {"status": "overdue"}).content.decode()
    village = secretary.get(reverse("villages:detail", args=[cast.village_a.code])).content.decode()
    assert "三资台账缺失" in ledger and "已逾期" in ledger
    assert "三资台账缺失" in village and "已逾期" in village
