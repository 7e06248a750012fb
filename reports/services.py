"""Writes of the analysis reports that people start: the edited problems and suggestions, and a batch
that queues every report of a year. Building one report is `reports.build_report`, run by the job."""

import uuid
from functools import partial

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

from accounts.models import User
from accounts.roles import Role
from core.services import require
from villages.models import Township

from .documents import record_failure
from .models import ReportBatch, ReportDraft
from .tasks import NOT_QUEUED, QueueUnavailable, build_report, enqueue


def can_write_reports(user: User) -> bool:
    """Staff build the reports and write their problems and suggestions."""
    return user.has_role(Role.COMMISSION_STAFF)


@transaction.atomic
def report_draft_save(*, township: Township | None, year: int, text: str, acting_user: User) -> ReportDraft:
    """指出问题、提出建议 as staff edited them; the next build of the report uses this text."""
    require(can_write_reports(acting_user))
    draft = ReportDraft.objects.filter(township=township, year=year).first() or ReportDraft(
        township=township, year=year
    )
    draft.text, draft.edited_by = text, acting_user
    draft._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    draft.save()
    return draft


def _queue(batch_id: int, year: int, targets: list[Township | None], requested_by_id: int) -> None:
    for index, township in enumerate(targets):
        try:
            enqueue(  # type: ignore[no-untyped-call]  # reports.tasks.enqueue is not annotated
                build_report, uuid.uuid4().hex, year, township.pk if township else None, requested_by_id, batch_id
            )
        except QueueUnavailable:
            for missed in targets[index:]:
                record_failure(batch_id, missed.name if missed else "全区", NOT_QUEUED)
            raise


@transaction.atomic
def report_batch_start(*, year: int, acting_user: User) -> ReportBatch:
    """Every township's report and the district's, each a job queued once the batch is committed (a job
    never looks for a batch that is not there yet); progress is the batch's versions against its total.
    Raises QueueUnavailable when the broker cannot be reached: before anything is written when it is away
    at the start; when it goes away midway, the jobs not queued are recorded as the batch's failures, so
    its progress still ends and names them."""
    require(can_write_reports(acting_user))
    townships = list(Township.objects.filter(villages__results__round__period__code=str(year)).distinct())
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except OperationalError as error:
        raise QueueUnavailable from error
    batch = ReportBatch(year=year, total=len(townships) + 1, requested_by=acting_user)
    batch._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    batch.save()
    # The district's report first: the longest job, built while the other worker processes take the townships'.
    transaction.on_commit(partial(_queue, batch.pk, year, [None, *townships], acting_user.pk))
    return batch
