"""A report job held by a worker that was killed is not delivered again on the embedded broker: a batch
that has built nothing for longer than a report may take says which reports were lost, stops being
polled, and the year is back among the reports to build."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import documents as reports
from reports.models import ReportBatch, ReportVersion
from reports.selectors import batch_progress, years_to_report
from scoring.models import Round
from scoring.services import round_compute_results

from ..scoring_helpers import fill_scores, make_round

LIMIT = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def batch_of_three_with_one_built(cast, *, quiet_for: timedelta) -> ReportBatch:
    published = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(published, cast.village_a, "92")
    round_compute_results(published)
    batch = ReportBatch.objects.create(
        district=cast.township_a.district, year=2025, total=3, requested_by=cast.users["staff"]
    )
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    ReportVersion.objects.filter(pk=version.pk).update(batch=batch, built_at=timezone.now() - quiet_for)
    ReportBatch.objects.filter(pk=batch.pk).update(requested_at=timezone.now() - quiet_for - timedelta(seconds=5))
    return ReportBatch.objects.get(pk=batch.pk)


def test_a_batch_still_within_a_reports_time_is_polled_on(cast, client_for):
    batch = batch_of_three_with_one_built(cast, quiet_for=LIMIT - timedelta(seconds=30))
    progress = batch_progress(batch)
    assert (progress.built, progress.stalled, progress.finished, progress.lost) == (1, False, False, 0)
    response = client_for("staff").get(reverse("reports:progress", args=[batch.pk]))
    assert response.status_code == 200  # htmx polls again
    assert [year.year for year in years_to_report(cast.township_a.district_id)] == []


def test_a_batch_quiet_for_longer_than_a_report_may_take_names_what_was_lost(cast, client_for):
    batch = batch_of_three_with_one_built(cast, quiet_for=LIMIT + timedelta(seconds=30))
    progress = batch_progress(batch)
    assert (progress.built, progress.stalled, progress.finished, progress.lost) == (1, True, True, 2)
    response = client_for("staff").get(reverse("reports:progress", args=[batch.pk]))
    assert response.status_code == 286  # htmx stops polling
    assert "有2份报告未生成：任务已丢失（后台进程已停止）。请重新生成。" in response.content.decode()
    assert [(year.year, year.stalled) for year in years_to_report(cast.township_a.district_id)] == [(2025, True)]
    todo = client_for("staff").get(reverse("workspace")).content.decode()
    assert "生成中途中断，请重新生成" in todo  # back on the staff's to-do page, saying why
