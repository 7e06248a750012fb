"""Analysis report pages: the year's reports of a county with their versions and a batch build with its
progress (the county's staff), the problems and suggestions to edit before the final build (the county's
staff), downloads (the county's staff and leaders, a township secretary the own township's reports, the
city's roles every county of their city with a county filter). The city's yearly comparison of its
counties: built at the city staff's request, read by the city's staff and leaders.

Every object of another county (a report, a batch, a township's text) is 404, the same as a missing one."""

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
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from villages.models import District
from villages.selectors import townships_for

from . import selectors
from .content import NoPublishedIndex, report_content
from .documents import suggestions_text
from .models import BuiltReport
from .selectors import REPORT_READERS, city_versions_for, version_filename, versions_for
from .services import (
    can_build_city_report,
    can_write_reports,
    city_report_request,
    report_batch_start,
    report_draft_save,
)
from .tasks import QueueUnavailable

QUEUE_UNAVAILABLE = gettext_lazy("The report jobs could not be queued (the job queue is unreachable). Try again later.")


def _year(request: HttpRequest) -> int:
    return params.year(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year - 1


def _county(request: HttpRequest) -> tuple[District | None, list[District]]:
    """The county whose reports the page shows, and the counties the user may choose from: the city's
    roles choose among their city's counties (?county=<code>, the first by default; another city's is
    404), everyone else sees the own county."""
    user = request.user
    if not user.has_role(*CITY_ROLES):
        return District.objects.filter(pk=user.county_id).first() if user.county_id else None, []
    counties = list(District.objects.filter(city_id=user.city_id).order_by("code")) if user.city_id else []
    code = params.text(request.GET.get("county"))
    if not code:
        return (counties[0] if counties else None), counties
    chosen = next((county for county in counties if county.code == code), None)
    if chosen is None:
        raise Http404
    return chosen, counties


@role_required(*REPORT_READERS)
def report_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    county, counties = _county(request)
    versions = versions_for(request.user).filter(year=year, district=county)
    latest: dict[int | None, list] = {}
    for version in versions:
        latest.setdefault(version.township_id, []).append(version)
    townships = townships_for(request.user).filter(district=county).order_by("code")
    may_write = county is not None and can_write_reports(request.user, county)
    batch = selectors.batches_for(request.user).filter(year=year).first() if may_write else None
    sees_the_county = request.user.has_role(*DISTRICT_WIDE_ROLES, *CITY_ROLES)
    context = {
        "year": year,
        "county": county,
        "counties": counties,
        "may_write": may_write,
        "lines": [(township, latest.get(township.pk, [])) for township in townships],
        "district": latest.get(None, []) if sees_the_county and county else None,
        "batch": batch,
        # A page shown while its batch runs reloads once the batch is done, to list the new versions.
        "reload_when_done": batch is not None and not selectors.batch_progress(batch).finished,
    }
    return render(request, "reports/list.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def report_build(request: HttpRequest) -> HttpResponse:
    """Queue every report of the own county's year (a batch) and answer at once: a worker builds them while
    the list page shows their progress. Only with Celery eager (no broker: the tests, a shell) are they
    built here."""
    year = _year(request)
    if request.user.district is None:
        raise Http404  # a staff member bound to no county has no reports to build
    try:
        report_batch_start(district=request.user.district, year=year, acting_user=request.user)
    except NoPublishedIndex:
        messages.error(request, _("The year has no published integrity index to report on."))
    except QueueUnavailable:
        messages.error(request, QUEUE_UNAVAILABLE)
    else:
        messages.success(request, _("The reports are being built."))
    return redirect(f"{reverse('reports:list')}?year={year}")


@role_required(Role.COMMISSION_STAFF)
def batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The batch's progress (done / total, failures named), polled by the list page with htmx."""
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
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
    """指出问题、提出建议: drafted from the data, edited here; the final build uses the edited text. Of the
    own county's townships, or ("district") the own county's summary."""
    county = request.user.district
    if county is None:
        raise Http404
    township = None
    if township_code != "district":
        township = get_object_or_404(townships_for(request.user), code=township_code)
    try:
        content = report_content(year, township or county)
    except NoPublishedIndex:
        raise Http404 from None
    form = SuggestionsForm(request.POST or None, initial={"text": suggestions_text(content, township, year)})
    if request.method == "POST" and form.is_valid():
        report_draft_save(
            district=county, township=township, year=year, text=form.cleaned_data["text"], acting_user=request.user
        )
        messages.success(request, _("Saved. The next build uses this text."))
        return redirect(f"{reverse('reports:list')}?year={year}")
    context = {"form": form, "content": content, "year": year, "township": township}
    return render(request, "reports/text.html", context)


def _download(request: HttpRequest, version: BuiltReport) -> FileResponse:
    record_event(EventType.DOWNLOADED, request=request, target=version)
    return FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version_filename(version), content_type="application/pdf"
    )


@role_required(*REPORT_READERS)
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_object_or_404(versions_for(request.user), pk=pk))


# The city's yearly comparison of its counties (市纪委年度区县比较报告).


@role_required(*CITY_ROLES)
def city_report_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    context = {
        "year": year,
        "city": request.user.city,
        "versions": list(city_versions_for(request.user).filter(year=year)),
        "may_build": can_build_city_report(request.user),
    }
    return render(request, "reports/city_list.html", context)


@require_POST
@role_required(Role.CITY_STAFF)
def city_report_build(request: HttpRequest) -> HttpResponse:
    """Queue the city's report of the year and answer at once; whoever asked is told when it is built."""
    year = _year(request)
    if request.user.city is None:
        raise Http404  # city staff bound to no city have no report to build
    try:
        city_report_request(city=request.user.city, year=year, acting_user=request.user)
    except QueueUnavailable:
        messages.error(request, QUEUE_UNAVAILABLE)
    else:
        messages.success(request, _("The city report is being built; you will be told when it is ready."))
    return redirect(f"{reverse('reports:city')}?year={year}")


@role_required(*CITY_ROLES)
def city_report_download(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, get_object_or_404(city_versions_for(request.user), pk=pk))
