"""Reads of the analysis reports: the versions and batches a user may see (a township's reports by its
secretary, a county's by its staff and leaders, every county's of a city by the city's roles), a batch's
progress, the years whose reports are still to build, and what a built version is called."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, INDEX_ROLES, Role
from scoring.models import Period, Round

from .models import CityReportVersion, ReportBatch, ReportVersion

# Who reads the township and county reports: a secretary the own township's, staff and leaders their
# county's, the city's roles those of every county of their city.
REPORT_READERS = INDEX_ROLES | CITY_ROLES


def versions_for(user: User | AnonymousUser) -> QuerySet[ReportVersion]:
    """The report versions the user may download (a county's summary is not a secretary's)."""
    return scope_to_user(
        ReportVersion.objects.select_related("township", "district", "requested_by"),
        user,
        roles=REPORT_READERS,
        township_field="township_id",
        district_field="district_id",
    )


def batches_for(user: User | AnonymousUser) -> QuerySet[ReportBatch]:
    """The batches of the staff's own county."""
    return scope_to_user(ReportBatch.objects.all(), user, roles=[Role.COMMISSION_STAFF], district_field="district_id")


def city_versions_for(user: User | AnonymousUser) -> QuerySet[CityReportVersion]:
    """The city's report versions, for the city's own staff and leaders only."""
    if not user.is_authenticated or not user.has_role(*CITY_ROLES) or user.city_id is None:
        return CityReportVersion.objects.none()
    return CityReportVersion.objects.select_related("city", "requested_by").filter(city_id=user.city_id)


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


def published_years(district_id: int) -> list[int]:
    """The years with a published yearly index of the county, latest first."""
    periods = Period.objects.filter(district_id=district_id, half__isnull=True, rounds__status=Round.Status.PUBLISHED)
    return list(periods.order_by("-year").values_list("year", flat=True).distinct())


def years_to_report(district_id: int | None) -> list[YearToReport]:
    """The years with a published index of the county whose reports are still to build: no batch of the
    county asked for yet, or its latest batch with failures or stalled. Latest year first."""
    if district_id is None:
        return []
    years = published_years(district_id)
    latest: dict[int, ReportBatch] = {}
    batches = ReportBatch.objects.filter(district_id=district_id, year__in=years).order_by("-requested_at", "-id")
    for batch in batches:
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


def _report_and_day(version: ReportVersion | CityReportVersion) -> tuple[str, str]:
    if isinstance(version, CityReportVersion):
        report = f"{version.city.name} {version.year}年度区县比较报告"
    else:
        report = f"{(version.township or version.district).name} {version.year}年度分析报告"
    return report, f"{timezone.localdate(version.built_at):%Y-%m-%d}"


def version_title(version: ReportVersion | CityReportVersion) -> str:
    """What a report's download link says: whose, which year, built which day
    (路桥街道 2025年度分析报告 · 2026-03-02 版)."""
    report, day = _report_and_day(version)
    return f"{report} · {day} 版"


def version_filename(version: ReportVersion | CityReportVersion) -> str:
    """The file's name says the version's number too: two versions built the same day are two files,
    not "(1)" (路桥街道 2025年度分析报告 · 2026-03-02 第3版.pdf)."""
    report, day = _report_and_day(version)
    return f"{report} · {day} 第{version.number}版.pdf"
