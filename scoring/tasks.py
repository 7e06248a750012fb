import uuid

from celery import shared_task

from accounts.models import User
from villages.models import Township

from .report_models import ReportBatch
from .reports import build_report as build
from .reports import record_failure
from .star_services import star_levels_fix


@shared_task
def fix_star_levels() -> int:
    """Daily: star levels whose publicity period (公示) ended without an open objection become fixed."""
    return star_levels_fix()


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
        raise
    return version.file.path


def start_batch(*, year: int, requested_by) -> ReportBatch:
    """Every township's report and the district's, each a job on the queue; progress is the batch's
    versions against its total. Raises kombu's OperationalError when the broker cannot be reached."""
    townships = list(Township.objects.filter(villages__results__round__period__code=str(year)).distinct())
    batch = ReportBatch.objects.create(year=year, total=len(townships) + 1, requested_by=requested_by)
    for township in [*townships, None]:
        build_report.delay(uuid.uuid4().hex, year, township.pk if township else None, requested_by.pk, batch.pk)
    return batch
