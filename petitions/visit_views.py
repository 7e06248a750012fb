"""主动下访 pages: the year's visits (and their sheet), the visit form (on a phone, in the village), a visit
with its issues, and the registration of an issue as a petition.

For the petition office, staff and leaders of the visit's county: another county's visit or issue is 404,
as a missing one; a township secretary and the city's roles are refused (403) and read the aggregate
figures on the petition figures page. Only the county's petition office registers an issue as a petition."""

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import role_required
from accounts.models import User
from audit.models import EventType
from audit.services import record_event
from core import params
from core.params import year_in_path
from core.spreadsheets import xlsx_bytes, xlsx_response
from core.versioning import form_save
from villages.models import Village

from . import visit_selectors as selectors
from . import visits as services
from .models import Visit
from .visit_forms import (
    ISSUE_LINES,
    MAX_ISSUE_LINES,
    RegisterIssueForm,
    VisitForm,
    issue_formset,
    issues_changed,
    issues_received,
)

VISIT_ROLES = selectors.VISIT_ROLES


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


@role_required(*VISIT_ROLES)
def visits(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = timezone.localdate()
    year = params.year(request.GET.get("year")) or today.year
    context = {
        "year": year,
        "years": selectors.visit_years(user, today),
        "visits": selectors.visit_list(user, year),
    }
    return render(request, "petitions/visits.html", context)


EXPORT_HEADERS = [
    gettext_lazy("Date of the visit"),
    gettext_lazy("Township"),
    gettext_lazy("Village"),
    gettext_lazy("Who went (names and units)"),
    gettext_lazy("Issues received"),
    gettext_lazy("Settled on the spot"),
    gettext_lazy("Registered as petitions"),
]


@role_required(*VISIT_ROLES)
def visits_export(request: HttpRequest, year: int) -> HttpResponse:
    """The year's visits as xlsx: counts only, never an issue's summary (a sheet leaves the system)."""
    listed: Any = selectors.visit_list(_user(request), year_in_path(year))  # annotated with the counts
    rows = [
        [
            visit.visited_on,
            visit.township.name,
            visit.village.name,
            visit.officials,
            visit.issues_received,
            visit.settled,
            visit.registered,
        ]
        for visit in listed.order_by("visited_on", "id")
    ]
    record_event(EventType.EXPORTED, request=request, data={"what": "visits to villages", "year": year})
    return xlsx_response(xlsx_bytes(EXPORT_HEADERS, rows, title=f"{year}年主动下访"), f"visits-{year}.xlsx")


def _refuse_other_county_village(request: HttpRequest) -> None:
    """The village select offers the own county's villages only: one of another county posted (a forged
    request) is answered 404, as asking for it is."""
    value = str(request.POST.get("village", ""))
    if value.isascii() and value.isdigit() and len(value) < 19:
        district_id = _user(request).district_id
        own = Village.objects.filter(township__district_id=district_id) if district_id else Village.objects.none()
        if Village.objects.filter(pk=int(value)).exists() and not own.filter(pk=int(value)).exists():
            raise Http404


@role_required(*VISIT_ROLES)
def visit_new(request: HttpRequest) -> HttpResponse:
    """The visit and its issues, recorded at once; what was typed stays on an error."""
    user = _user(request)
    if request.method == "POST" and "more_lines" in request.POST:
        # More issue lines: the form comes back with what was typed and three blank lines more, unsaved.
        data = request.POST.copy()
        total = data.get("issue-TOTAL_FORMS", "")
        shown = int(total) if total.isascii() and total.isdigit() else ISSUE_LINES
        data["issue-TOTAL_FORMS"] = str(min(shown + ISSUE_LINES, MAX_ISSUE_LINES))
        form = VisitForm(data, district=user.district)
        context = {"form": form, "formset": issue_formset(data), "more_lines": True}
        return render(request, "petitions/visit_form.html", context)
    if request.method == "POST":
        _refuse_other_county_village(request)
        form = VisitForm(request.POST, district=user.district)
        formset = issue_formset(request.POST)
    else:
        form = VisitForm(initial={"visited_on": timezone.localdate()}, district=user.district)
        formset = issue_formset(lines=ISSUE_LINES)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_record(
                    acting_user=user,
                    village=data["village"],
                    visited_on=data["visited_on"],
                    officials=data["officials"],
                    issues=issues_received(formset),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The visit to the village is recorded."))
                return redirect("petitions:visit", pk=visit.pk)
    context = {"form": form, "formset": formset, "more_lines": len(formset.forms) < MAX_ISSUE_LINES}
    return render(request, "petitions/visit_form.html", context, status=status)


@role_required(*VISIT_ROLES)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = selectors.get_visit_for(user, pk)
    context = {
        "visit": found,
        "issues": found.issues.select_related("petition"),
        "registers": services.registers_issues(user, found),
    }
    return render(request, "petitions/visit.html", context)


CHECK_THE_LINES = gettext_lazy("Check the issue lines below.")


@role_required(*VISIT_ROLES)
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction of the visit, against the version its form was filled in with: a change made meanwhile
    is shown (409) with what was typed kept. Issues registered as petitions stand apart, unchanged."""
    user = _user(request)
    found = selectors.get_visit_for(user, pk)
    issues = list(found.issues.all())
    initial = [
        {
            "issue": issue.pk,
            "category": issue.category,
            "summary": issue.summary,
            "settled_on_spot": issue.settled_on_spot,
        }
        for issue in issues
        if issue.petition_id is None
    ]
    if request.method != "POST":
        facts = {"visited_on": found.visited_on, "village": found.village_id, "officials": found.officials}
        form = VisitForm(initial={**facts, "version": found.version}, district=user.district)
        return _edit_page(request, found, issues, form, issue_formset(initial=initial, lines=2))
    _refuse_other_county_village(request)
    form = VisitForm(request.POST, district=user.district)
    formset = issue_formset(request.POST, initial=initial)

    def save() -> None:
        if not formset.is_valid():
            raise ValidationError(CHECK_THE_LINES)
        data = form.cleaned_data
        services.visit_update(
            visit=found,
            version=data["version"],
            acting_user=user,
            village=data["village"],
            visited_on=data["visited_on"],
            officials=data["officials"],
            changed_issues=issues_changed(formset),
            new_issues=issues_received(formset),
        )

    status = form_save(form, check=partial(services.visit_check_version, found), save=save)
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("petitions:visit", pk=found.pk)
    return _edit_page(request, found, issues, form, formset, status=status)


def _edit_page(
    request: HttpRequest, visit: Visit, issues: list, form: VisitForm, formset: Any, status: int = 200
) -> HttpResponse:
    context = {
        "visit": visit,
        "registered": [issue for issue in issues if issue.petition_id],
        "form": form,
        "formset": formset,
    }
    return render(request, "petitions/visit_form.html", context, status=status)


def _register_page(request: HttpRequest, issue: Any, form: RegisterIssueForm, status: int = 200) -> HttpResponse:
    return render(request, "petitions/visit_issue_register.html", {"issue": issue, "form": form}, status=status)


@role_required(*VISIT_ROLES)
def issue_register(request: HttpRequest, pk: int) -> HttpResponse:
    """登记 an issue of the visit as a petition (the county's petition office): its date, channel (下访) and
    village are the visit's."""
    user = _user(request)
    issue = selectors.get_issue_for(user, pk)
    if not services.registers_issues(user, issue.visit):
        raise PermissionDenied
    if issue.petition_id is not None:
        messages.info(request, services.ALREADY_REGISTERED)
        return redirect("petitions:petition", pk=issue.petition_id)
    initial = {"category": issue.category, "summary": issue.summary, "rural": True}
    if request.method != "POST":
        return _register_page(request, issue, RegisterIssueForm(initial=initial))
    form = RegisterIssueForm(request.POST, initial=initial)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in RegisterIssueForm.Meta.fields}
        try:
            petition = services.visit_issue_register(
                issue=issue,
                acting_user=user,
                identity=form.cleaned_data["identity"],
                contact=form.cleaned_data["contact"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Registered."))
            return redirect("petitions:petition", pk=petition.pk)
    return _register_page(request, issue, form, status=400)
