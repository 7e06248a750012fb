from celery import shared_task
from kombu.exceptions import OperationalError

from accounts.models import User
from core.cache import REDIS_UNREACHABLE
from villages.models import Township

from .documents import build_report as build
from .documents import record_failure, report_batch_finish
from .models import ReportBatch


@shared_task(acks_late=True)
def build_report(
    job_id: str, year: int, township_id: int | None, requested_by_id: int, batch_id: int | None = None
) -> str:
    """One analysis report as a new version; a redelivered job finds the version it made. Returns the
    PDF's path. Only ids travel through the broker."""
    township = Township.objects.get(pk=township_id) if township_id else None
    try:
        version = build(
            year=year,
            township=township,
            requested_by=User.objects.get(pk=requested_by_id),
            job_id=job_id,
            batch=ReportBatch.objects.filter(pk=batch_id).first() if batch_id else None,
        )
    except Exception as error:
        if batch_id:
            record_failure(batch_id, township.name if township else "全区", str(error))
            report_batch_finish(batch_id=batch_id)
        raise
    if batch_id:
        report_batch_finish(batch_id=batch_id)
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
