"""Writes of the analysis reports that people start: the edited problems and suggestions, a batch that
queues every report of a county's year, and the city's yearly report. Building one report is
`reports.documents.build_report` (or `build_city_report`), run by the job."""

import uuid
from functools import partial

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

from accounts.models import User
from accounts.roles import Role
from core.services import require
from villages.models import City, District, Township

from .documents import record_failure
from .models import ReportBatch, ReportDraft
from .tasks import NOT_QUEUED, QueueUnavailable, build_city_report, build_report, enqueue


def can_write_reports(user: User, district: District | None = None) -> bool:
    """A county's staff build its reports and write their problems and suggestions (of `district`, when
    given: their own county's only)."""
    return (
        user.has_role(Role.COMMISSION_STAFF)
        and user.district_id is not None
        and (district is None or district.pk == user.district_id)
    )


def can_build_city_report(user: User, city: City | None = None) -> bool:
    """The city's staff build its yearly comparison of the counties."""
    return user.has_role(Role.CITY_STAFF) and user.city_id is not None and (city is None or city.pk == user.city_id)


@transaction.atomic
def report_draft_save(
    *, district: District, township: Township | None, year: int, text: str, acting_user: User
) -> ReportDraft:
    """指出问题、提出建议 as staff edited them; the next build of the report uses this text."""
    require(can_write_reports(acting_user, district) and (township is None or township.district_id == district.pk))
    draft = ReportDraft.objects.filter(district=district, township=township, year=year).first() or ReportDraft(
        district=district, township=township, year=year
    )
    draft.text, draft.edited_by = text, acting_user
    draft._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    draft.save()
    return draft


def _check_the_queue() -> None:
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except OperationalError as error:
        raise QueueUnavailable from error


def _queue(batch: ReportBatch, targets: list[Township | None]) -> None:
    for index, township in enumerate(targets):
        try:
            enqueue(  # type: ignore[no-untyped-call]  # reports.tasks.enqueue is not annotated
                build_report,
                uuid.uuid4().hex,
                batch.year,
                township.pk if township else None,
                batch.requested_by_id,
                batch.pk,
                batch.district_id,
            )
        except QueueUnavailable:
            for missed in targets[index:]:
                record_failure(batch.pk, (missed or batch.district).name, NOT_QUEUED)
            raise


@transaction.atomic
def report_batch_start(*, district: District, year: int, acting_user: User) -> ReportBatch:
    """Every township's report of the county and the county's summary, each a job queued once the batch
    is committed (a job never looks for a batch that is not there yet); progress is the batch's versions
    against its total. Raises QueueUnavailable when the broker cannot be reached: before anything is
    written when it is away at the start; when it goes away midway, the jobs not queued are recorded as the
    batch's failures, so its progress still ends and names them."""
    require(can_write_reports(acting_user, district))
    townships = list(
        Township.objects.filter(district=district, villages__results__round__period__code=str(year))
        .distinct()
        .order_by("code")
    )
    _check_the_queue()
    batch = ReportBatch(district=district, year=year, total=len(townships) + 1, requested_by=acting_user)
    batch._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    batch.save()
    # The county's summary first: the longest job, built while the other worker processes take the townships'.
    transaction.on_commit(partial(_queue, batch, [None, *townships]))
    return batch


def city_report_request(*, city: City, year: int, acting_user: User) -> str:
    """Queue the city's yearly report once the caller's transaction commits; returns the job's id. Raises
    QueueUnavailable when the broker cannot be reached (nothing is queued)."""
    require(can_build_city_report(acting_user, city))
    _check_the_queue()
    job_id = uuid.uuid4().hex
    transaction.on_commit(partial(enqueue, build_city_report, job_id, year, city.pk, acting_user.pk))
    return job_id
