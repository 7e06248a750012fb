from typing import cast

from celery import shared_task
from kombu.exceptions import OperationalError

from accounts.models import User
from core.cache import REDIS_UNREACHABLE
from villages.models import City, District, Township

from .documents import build_city_report as build_city
from .documents import build_report as build
from .documents import city_report_told, record_failure, report_batch_finish
from .models import ReportBatch


@shared_task(acks_late=True)
def build_report(
    job_id: str,
    year: int,
    township_id: int | None,
    requested_by_id: int,
    batch_id: int | None = None,
    district_id: int | None = None,
) -> str:
    """One analysis report as a new version: a township's, or (no township) the county's summary. A
    redelivered job finds the version it made. Returns the PDF's path. Only ids travel through the broker."""
    township = Township.objects.select_related("district").get(pk=township_id) if township_id else None
    district = township.district if township else District.objects.get(pk=cast(int, district_id))
    try:
        version = build(
            year=year,
            township=township,
            district=district,
            requested_by=User.objects.get(pk=requested_by_id),
            job_id=job_id,
            batch=ReportBatch.objects.filter(pk=batch_id).first() if batch_id else None,
        )
    except Exception as error:
        if batch_id:
            record_failure(batch_id, (township or district).name, str(error))
            report_batch_finish(batch_id=batch_id)
        raise
    if batch_id:
        report_batch_finish(batch_id=batch_id)
    return version.file.path


@shared_task(acks_late=True)
def build_city_report(job_id: str, year: int, city_id: int, requested_by_id: int) -> str:
    """The city's yearly comparison of its counties as a new version; whoever asked is told when it is
    built, or why not. Returns the PDF's path."""
    city, requested_by = City.objects.get(pk=city_id), User.objects.get(pk=requested_by_id)
    try:
        version = build_city(year=year, city=city, requested_by=requested_by, job_id=job_id)
    except Exception as error:
        city_report_told(job_id=job_id, city=city, year=year, requested_by=requested_by, error=str(error))
        raise
    city_report_told(job_id=job_id, city=city, year=year, requested_by=requested_by)
    return version.file.path


class QueueUnavailable(Exception):
    """The job queue (Redis) could not be reached; nothing was queued from the point it went away."""


NOT_QUEUED = "未能加入任务队列（任务队列不可用）"  # stored in the batch's failures, as report text is


def enqueue(task, *args):
    """`task.delay(*args)`, with an unreachable queue raised as QueueUnavailable. kombu raises
    OperationalError when it cannot publish; Celery's Redis result backend, which subscribes to the job's
    result before the job is published, raises a RuntimeError from the connection error."""
    try:
        return task.delay(*args)
    except OperationalError as error:
        raise QueueUnavailable from error
    except RuntimeError as error:
        if isinstance(error.__cause__, REDIS_UNREACHABLE):
            raise QueueUnavailable from error
        raise
