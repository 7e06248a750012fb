"""Analysis report pages: the year's reports with their versions and a batch build with its progress
(staff), the problems and suggestions to edit before the final build (staff), downloads (staff, leaders,
and a township secretary for the own township's reports only)."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import DISTRICT_WIDE_ROLES, INDEX_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from villages.models import Township
from villages.selectors import townships_for

from . import selectors
from .content import NoPublishedIndex, report_content
from .documents import suggestions_text
from .models import ReportBatch, ReportVersion
from .selectors import version_filename
from .services import can_write_reports, report_batch_start, report_draft_save
from .tasks import QueueUnavailable


def _year(request: HttpRequest) -> int:
    return params.year(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year - 1


def versions_for(user):
    """Report versions the user may download: all for staff and leaders, the own township's for a secretary."""
    versions = ReportVersion.objects.select_related("township", "requested_by")
    if user.has_role(*DISTRICT_WIDE_ROLES):
        return versions
    if user.has_role(Role.TOWNSHIP_SECRETARY):
        return versions.filter(township_id=user.township_id)
    return versions.none()


@role_required(*INDEX_ROLES)
def report_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    versions = versions_for(request.user).filter(year=year)
    latest = {}
    for version in versions:
        latest.setdefault(version.township_id, []).append(version)
    townships = townships_for(request.user).order_by("code")
    may_write = can_write_reports(request.user)
    batch = ReportBatch.objects.filter(year=year).first() if may_write else None
    context = {
        "year": year,
        "may_write": may_write,
        "lines": [(township, latest.get(township.pk, [])) for township in townships],
        "district": latest.get(None, []) if request.user.has_role(*DISTRICT_WIDE_ROLES) else None,
        "batch": batch,
        # A page shown while its batch runs reloads once the batch is done, to list the new versions.
        "reload_when_done": batch is not None and not selectors.batch_progress(batch).finished,
    }
    return render(request, "reports/list.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def report_build(request: HttpRequest) -> HttpResponse:
    """Queue every report of the year (a batch) and answer at once: a worker builds them while the list
    page shows their progress. Only with Celery eager (no broker: the tests, a shell) are they built here."""
    year = _year(request)
    try:
        report_batch_start(year=year, acting_user=request.user)
    except NoPublishedIndex:
        messages.error(request, _("The year has no published integrity index to report on."))
    except QueueUnavailable:
        messages.error(
            request, _("The report jobs could not be queued (the job queue is unreachable). Try again later.")
        )
    else:
        messages.success(request, _("The reports are being built."))
    return redirect(f"{reverse('reports:list')}?year={year}")


@role_required(Role.COMMISSION_STAFF)
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's progress (done / total, failures named), polled by the list page with htmx."""
    batch = get_object_or_404(ReportBatch, pk=pk)
    progress = selectors.batch_progress(batch)
    context = {"batch": batch, "done": progress.built, "lost": progress.lost}
    # htmx stops polling on status 286 once every report is built or has failed, or the batch stalled.
    response = render(request, "reports/partials/progress.html", context, status=286 if progress.finished else 200)
    if progress.finished and request.GET.get("reload"):
        response["HX-Refresh"] = "true"  # htmx reloads the page, which then lists the new versions
    return response


class SuggestionsForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Problems and suggestions, one per line"), widget=forms.Textarea(attrs={"rows": 12})
    )


@role_required(Role.COMMISSION_STAFF)
def report_text(request: HttpRequest, township_code: str, year: int) -> HttpResponse:
    """指出问题、提出建议: drafted from the data, edited here; the final build uses the edited text."""
    township = None if township_code == "district" else get_object_or_404(Township, code=township_code)
    try:
        content = report_content(year, township)
    except NoPublishedIndex:
        raise Http404 from None
    form = SuggestionsForm(request.POST or None, initial={"text": suggestions_text(content, township, year)})
    if request.method == "POST" and form.is_valid():
        report_draft_save(township=township, year=year, text=form.cleaned_data["text"], acting_user=request.user)
        messages.success(request, _("Saved. The next build uses this text."))
        return redirect(f"{reverse('reports:list')}?year={year}")
    context = {"form": form, "content": content, "year": year, "township": township}
    return render(request, "reports/text.html", context)


@role_required(*INDEX_ROLES)
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(versions_for(request.user), pk=pk)
    record_event(EventType.DOWNLOADED, request=request, target=version)
    return FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version_filename(version), content_type="application/pdf"
    )
