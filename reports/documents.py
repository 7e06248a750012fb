"""Building the analysis reports: HTML from the report's content, laid out by WeasyPrint into an A4 PDF in
Chinese, written atomically and kept as a new version. A job has an id: a job delivered twice (a worker
killed, the message redelivered) finds its version and builds nothing more. The jobs of a batch record
their failures here, and the last to end tells the staff member who asked for the batch.

WeasyPrint gets the finished HTML with its style inline and a URL fetcher that fetches nothing, so text
people entered (a finding, a suggestion) can never make it read a file or reach the network."""

import os
import time
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts.services import notice_text, notices_send
from scoring.selectors import TownshipShares
from villages.models import Township

from .charts import category_charts, grade_shares_charts
from .content import ReportContent, report_content
from .models import ReportBatch, ReportDraft, ReportVersion
from .selectors import batch_progress


class FetchRefused(ValueError):
    pass


def refuse_fetch(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: everything the report needs is inline, so nothing is ever fetched."""
    raise FetchRefused(f"the report fetches nothing ({url[:80]})")


def suggestions_text(content: ReportContent, township, year: int) -> str:
    """The staff-edited problems and suggestions, or the drafted ones."""
    draft = ReportDraft.objects.filter(township=township, year=year).first()
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


def build_report(*, year: int, township: Township | None, requested_by, job_id: str | None = None, batch=None):
    """Build one report (a township's, or the district's when `township` is None) as a new version."""
    job_id = job_id or uuid.uuid4().hex
    existing = ReportVersion.objects.filter(job_id=job_id).first()
    if existing:
        return existing
    started = time.perf_counter()
    content = report_content(year, township)
    pdf = render_pdf(report_html(content, suggestions_text(content, township, year)))
    relative = f"reports/{year}/{township.code if township else 'district'}-{job_id}.pdf"
    _write_atomically(relative, pdf)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version, _created = ReportVersion.objects.get_or_create(
                    job_id=job_id,
                    defaults={
                        "township": township,
                        "year": year,
                        "number": _next_number(township, year),
                        "batch": batch,
                        "file": relative,
                        "size": len(pdf),
                        "round_label": content.round_label,
                        "data_checksum": content.checksum(),
                        "requested_by": requested_by,
                        "seconds": Decimal(time.perf_counter() - started).quantize(Decimal("0.01")),
                    },
                )
            return version
        except IntegrityError:  # two builds of the same report took the same number: take the next
            continue
    raise RuntimeError("could not number the report version")


def _next_number(township, year: int) -> int:
    latest = ReportVersion.objects.filter(township=township, year=year).aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


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
    requester = [batch.requested_by] if batch.requested_by.is_active else []
    link = f"{reverse('reports:list')}?year={batch.year}"
    notices_send(users=requester, text=text, link=link, key=f"report-batch-{batch.pk}-finished")
    return True
