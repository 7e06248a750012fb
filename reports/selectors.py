"""Reads of the analysis reports: a batch's progress, the years whose reports are still to build, and what
a built version is called."""

from dataclasses import dataclass

from django.utils import timezone

from scoring.selectors import published_years

from .content import DISTRICT
from .models import ReportBatch, ReportVersion


@dataclass(frozen=True)
class BatchProgress:
    built: int
    failed: list[str]  # the reports that failed, by name (a township's, or 全区)
    total: int

    @property
    def finished(self) -> bool:
        """Every report of the batch is built or has failed."""
        return self.built + len(self.failed) >= self.total


def failed_reports(batch: ReportBatch) -> list[str]:
    return [failure["report"] for failure in batch.failures]


def batch_progress(batch: ReportBatch) -> BatchProgress:
    return BatchProgress(batch.versions.count(), failed_reports(batch), batch.total)


@dataclass(frozen=True)
class YearToReport:
    year: int
    failed: list[str]  # the reports the year's latest batch could not build; none when no batch was asked for


def years_to_report() -> list[YearToReport]:
    """The years with a published index whose reports are still to build: no batch asked for yet, or the
    latest batch with failures. Latest year first."""
    years = published_years()
    latest: dict[int, ReportBatch] = {}
    for batch in ReportBatch.objects.filter(year__in=years).order_by("-requested_at", "-id"):
        latest.setdefault(batch.year, batch)
    return [
        YearToReport(year, failed_reports(latest[year]) if year in latest else [])
        for year in years
        if year not in latest or latest[year].failures
    ]


def version_title(version: ReportVersion) -> str:
    """What a report's download link says, and its file is called: whose, which year, built which day
    (路桥街道 2025年度分析报告 · 2026-03-02 版)."""
    unit = version.township.name if version.township else DISTRICT
    return f"{unit} {version.year}年度分析报告 · {timezone.localdate(version.built_at):%Y-%m-%d} 版"


def version_filename(version: ReportVersion) -> str:
    return f"{version_title(version)}.pdf"
