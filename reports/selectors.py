"""Reads of the analysis reports: a batch's progress, the years whose reports are still to build, and what
a built version is called."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone

from scoring.selectors import published_years

from .content import DISTRICT
from .models import ReportBatch, ReportVersion


@dataclass(frozen=True)
class BatchProgress:
    built: int
    failed: list[str]  # the reports that failed, by name (a township's, or 全区)
    total: int
    stalled: bool  # nothing built for longer than a report may take: the rest were lost (a worker killed)

    @property
    def lost(self) -> int:
        return self.total - self.built - len(self.failed) if self.stalled else 0

    @property
    def finished(self) -> bool:
        """Every report of the batch is built or has failed, or the batch stalled."""
        return self.built + len(self.failed) >= self.total or self.stalled


def failed_reports(batch: ReportBatch) -> list[str]:
    return [failure["report"] for failure in batch.failures]


def batch_progress(batch: ReportBatch) -> BatchProgress:
    """One query. A job held by a worker that was killed is not delivered again on the embedded broker
    (and a lost Redis message neither): a batch with no report built for longer than a report's hard time
    limit (and a minute) will build no more, and says so instead of being polled for ever."""
    versions = batch.versions.aggregate(built=Count("id"), last=Max("built_at"))
    built, failed = versions["built"], failed_reports(batch)
    last_activity = versions["last"] or batch.requested_at
    quiet_for = timezone.now() - last_activity
    unfinished = built + len(failed) < batch.total
    stalled = unfinished and quiet_for > timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return BatchProgress(built, failed, batch.total, stalled)


@dataclass(frozen=True)
class YearToReport:
    year: int
    failed: list[str]  # the reports the year's latest batch could not build; none when no batch was asked for
    stalled: bool  # the latest batch stopped before its end (jobs lost)


def years_to_report() -> list[YearToReport]:
    """The years with a published index whose reports are still to build: no batch asked for yet, or the
    latest batch with failures or stalled. Latest year first."""
    years = published_years()
    latest: dict[int, ReportBatch] = {}
    for batch in ReportBatch.objects.filter(year__in=years).order_by("-requested_at", "-id"):
        latest.setdefault(batch.year, batch)
    to_build = []
    for year in years:
        last = latest.get(year)
        if last is None:
            to_build.append(YearToReport(year, [], stalled=False))
        elif last.failures:
            to_build.append(YearToReport(year, failed_reports(last), stalled=False))
        elif batch_progress(last).stalled:
            to_build.append(YearToReport(year, [], stalled=True))
    return to_build


def _report_and_day(version: ReportVersion) -> tuple[str, str]:
    unit = version.township.name if version.township else DISTRICT
    return f"{unit} {version.year}年度分析报告", f"{timezone.localdate(version.built_at):%Y-%m-%d}"


def version_title(version: ReportVersion) -> str:
    """What a report's download link says: whose, which year, built which day
    (路桥街道 2025年度分析报告 · 2026-03-02 版)."""
    report, day = _report_and_day(version)
    return f"{report} · {day} 版"


def version_filename(version: ReportVersion) -> str:
    """The file's name says the version's number too: two versions built the same day are two files,
    not "(1)" (路桥街道 2025年度分析报告 · 2026-03-02 第3版.pdf)."""
    report, day = _report_and_day(version)
    return f"{report} · {day} 第{version.number}版.pdf"
