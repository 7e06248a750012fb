"""Building the analysis reports: HTML from the report's content, laid out by WeasyPrint into an A4 PDF in
Chinese, written atomically and kept as a new version. A job has an id: a job delivered twice (a worker
killed, the message redelivered) finds its version and builds nothing more. The jobs of a batch record
their failures here, and the last to end tells the staff member who asked for the batch. The city's
county comparison is built by the same machinery (`build_version`), from its own content and template.

WeasyPrint gets the finished HTML with its style inline and a URL fetcher that fetches nothing, so text
people entered (a finding, a suggestion) can never make it read a file or reach the network."""

import os
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import users_with_role
from accounts.services import notice_text, notices_send
from scoring.selectors import TownshipShares
from villages.models import City, District, Township

from .charts import category_charts, figure_charts, grade_shares_charts
from .city import CityReportContent, city_report_content
from .content import ReportContent, report_content
from .models import BuiltReport, CityReportVersion, ReportBatch, ReportDraft, ReportVersion
from .selectors import batch_progress

Built = TypeVar("Built", bound=BuiltReport)


class FetchRefused(ValueError):
    pass


def refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: everything the report needs is inline, so nothing is ever fetched."""
    raise FetchRefused(f"the report fetches nothing ({url[:80]})")


def suggestions_text(content: ReportContent, township, year: int) -> str:
    """The staff-edited problems and suggestions, or the drafted ones."""
    draft = ReportDraft.objects.filter(district_id=content.district_id, township=township, year=year).first()
    if draft:
        return draft.text
    return "\n".join(f"{item.problem}{item.suggestion}" for item in content.suggestions)


def _style() -> str:
    with open(finders.find("css/report.css"), encoding="utf-8") as css:
        return css.read()


def report_html(content: ReportContent, text: str) -> str:
    # A township beside the district; the district's townships in their official order.
    lines = content.summary if content.own else sorted(content.summary, key=lambda line: line.code)
    context = {
        "content": content,
        "style": _style(),
        "suggestions": [line for line in text.splitlines() if line.strip()],
        "shares_charts": grade_shares_charts(
            [TownshipShares(line.code, line.name, line.counts, line.villages) for line in lines], "等级占比"
        ),
        "category_charts": category_charts(
            content.categories, "各类别平均得分率", with_district=not content.is_district
        ),
    }
    return render_to_string("reports/report.html", context)


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and its fonts, which web processes that never build a
    # report (reports.tasks is imported by the URLconf) should not pay for at start-up.
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=refuse_fetch, base_url="lianjie:report").write_pdf()


def _write_atomically(relative: str, data: bytes) -> None:
    """Temporary file, then rename: a crash never leaves half a PDF under the final name."""
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def city_report_html(content: CityReportContent) -> str:
    context = {
        "content": content,
        "style": _style(),
        "charts": [(figure, figure_charts(figure)) for figure in content.charted_figures],
    }
    return render_to_string("reports/city_report.html", context)


def build_version(
    model: type[Built],
    *,
    same_report: dict,
    year: int,
    stem: str,
    render: Callable[[], tuple[bytes, str, dict]],
    requested_by,
    job_id: str | None = None,
) -> Built:
    """Build one report as a new version of `model`: `render` gives the PDF, the checksum of its data and
    any other field of the version; `same_report` picks the versions it is numbered among. A job's id finds
    the version it made already (a redelivered job builds nothing more)."""
    job_id = job_id or uuid.uuid4().hex
    versions = model._default_manager
    existing = versions.filter(job_id=job_id).first()
    if existing:
        return existing
    started = time.perf_counter()
    pdf, checksum, fields = render()
    relative = f"reports/{year}/{stem}-{job_id}.pdf"
    _write_atomically(relative, pdf)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = versions.filter(**same_report, year=year).aggregate(latest=Max("number"))["latest"]
                version, _created = versions.get_or_create(
                    job_id=job_id,
                    defaults={
                        **same_report,
                        **fields,
                        "year": year,
                        "number": (latest or 0) + 1,
                        "file": relative,
                        "size": len(pdf),
                        "data_checksum": checksum,
                        "requested_by": requested_by,
                        "seconds": Decimal(time.perf_counter() - started).quantize(Decimal("0.01")),
                    },
                )
            return version
        except IntegrityError:  # two builds of the same report took the same number: take the next
            continue
    raise RuntimeError("could not number the report version")


def build_report(
    *,
    year: int,
    township: Township | None = None,
    district: District | None = None,
    requested_by,
    job_id: str | None = None,
    batch=None,
) -> ReportVersion:
    """Build one report as a new version: a township's, or its county's summary when only `district` is
    given."""
    county = township.district if township else district
    if county is None:
        raise ValueError("a report is a township's or a county's")

    def render() -> tuple[bytes, str, dict]:
        content = report_content(year, township or county)
        pdf = render_pdf(report_html(content, suggestions_text(content, township, year)))
        return pdf, content.checksum(), {"batch": batch, "round_label": content.round_label}

    return build_version(
        ReportVersion,
        same_report={"district": county, "township": township},
        year=year,
        stem=(township or county).code,
        render=render,
        requested_by=requested_by,
        job_id=job_id,
    )


def build_city_report(*, year: int, city: City, requested_by, job_id: str | None = None) -> CityReportVersion:
    """The city's yearly comparison of its counties as a new version."""

    def render() -> tuple[bytes, str, dict]:
        content = city_report_content(year, city)
        return render_pdf(city_report_html(content)), content.checksum(), {}

    return build_version(
        CityReportVersion,
        same_report={"city": city},
        year=year,
        stem=f"city-{city.code}",
        render=render,
        requested_by=requested_by,
        job_id=job_id,
    )


def record_failure(batch_id: int, name: str, error: str) -> None:
    with transaction.atomic():
        batch = ReportBatch.objects.select_for_update().get(pk=batch_id)
        batch.failures = [*batch.failures, {"report": name, "error": error[:300]}]
        batch.save(update_fields=["failures"])


# The notice to the staff member who asked for a batch, once it ends (site language, see accounts' notice_text).
REPORTS_BUILT_NOTICE = gettext_lazy("The %(year)s analysis reports are built: %(built)s of %(total)s.")
REPORTS_FAILED_NOTICE = gettext_lazy(
    "The %(year)s analysis reports are done: %(built)s of %(total)s built; failed: %(failed)s. Build them again."
)


def report_batch_finish(*, batch_id: int) -> bool:
    """Run after each report of a batch is built or has failed: once all are, the staff member who asked
    for the batch is told, with any failure named. The jobs that end last, together or redelivered, send
    the same notice once (its key). Returns whether the batch is finished."""
    batch = ReportBatch.objects.select_related("requested_by").get(pk=batch_id)
    progress = batch_progress(batch)
    if not progress.finished:
        return False
    message = REPORTS_FAILED_NOTICE if progress.failed else REPORTS_BUILT_NOTICE
    text = notice_text(
        message, year=batch.year, built=progress.built, total=progress.total, failed="、".join(progress.failed)
    )
    link = f"{reverse('reports:list')}?year={batch.year}"
    notices_send(users=_told_of(batch), text=text, link=link, key=f"report-batch-{batch.pk}-finished")
    return True


def _told_of(batch: ReportBatch) -> list[User]:
    """Who asked for the batch, while still the county's staff; otherwise the county's staff: never
    anyone of another county."""
    requester = batch.requested_by
    if requester.has_role(Role.COMMISSION_STAFF) and requester.district_id == batch.district_id:
        return [requester]
    return list(users_with_role(Role.COMMISSION_STAFF, district_id=batch.district_id))


CITY_REPORT_BUILT_NOTICE = gettext_lazy(
    "The %(year)s county comparison report of %(city)s is built (version %(number)s)."
)
CITY_REPORT_FAILED_NOTICE = gettext_lazy(
    "The %(year)s county comparison report of %(city)s could not be built: %(error)s. Build it again."
)


def city_report_told(*, job_id: str, city: City, year: int, requested_by: User, error: str | None = None) -> None:
    """The city staff member who asked for the city's report is told when it is built, or why not; once
    per job (a redelivered job tells nobody again)."""
    if not requested_by.has_role(Role.CITY_STAFF) or requested_by.city_id != city.pk:
        return
    if error is None:
        version = CityReportVersion.objects.get(job_id=job_id)
        text = notice_text(CITY_REPORT_BUILT_NOTICE, year=year, city=city.name, number=version.number)
    else:
        text = notice_text(CITY_REPORT_FAILED_NOTICE, year=year, city=city.name, error=error[:200])
    link = f"{reverse('reports:city')}?year={year}"
    notices_send(users=[requested_by], text=text, link=link, key=f"city-report-{job_id}")
