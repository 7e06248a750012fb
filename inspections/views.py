"""Inspection pages: rounds and their villages, findings and leads, the revisit's candidates, the
rectification ledger, a finding's progress and closure, evidence downloads, the figures, the import.

Every rule (who may act, closure needs evidence and another approver) is in inspections.services; a
refused step comes back as a form error or a message, with what was typed kept.

A county's staff and leaders work on their county's rounds (another county's are 404); the city's staff
and leaders read the round list, the ledger and the figures of every county of their city, with a county
filter, and change nothing."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import DISTRICT_WIDE_ROLES, INDEX_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.dates import same_day_last_year
from core.forms import FiguresForm, ImportForm
from core.imports import confirm_upload, preview_upload
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from core.uploads import evidence_response
from core.versioning import form_save, posted_version
from petitions.selectors import counties_for
from scoring.forms import DeductionCiteForm
from villages.models import District
from villages.selectors import townships_for

from . import importer, selectors, services
from .forms import (
    CloseForm,
    FindingForm,
    LeadForm,
    PersonForm,
    ProgressForm,
    ReopenForm,
    RoundForm,
)
from .models import Finding, FindingEvidence, InspectionRound


def _county(request: HttpRequest) -> tuple[QuerySet[District], District | None]:
    """The counties a city role may narrow a page to, and the one asked for (`county`: its code); none for
    a county's own people."""
    counties = counties_for(request.user)
    code = params.text(request.GET.get("county"))
    return counties, (counties.filter(code=code).first() if code else None)


@role_required(*selectors.READ_ROLES)
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    counties, county = _county(request)
    rounds = selectors.rounds_for(user)
    if county:
        rounds = rounds.filter(district=county)
    may_create = services.runs_inspections(user, user.district_id)
    form = RoundForm(request.POST or None, district=user.district) if may_create else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in RoundForm.Meta.fields}
            try:
                round_ = services.round_create(
                    acting_user=request.user, villages=form.cleaned_data["village_codes"], **data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("inspections:round", pk=round_.pk)
    context = {
        "page": Paginator(rounds, 30).get_page(request.GET.get("page")),
        "form": form,
        "counties": counties,
        "county": county,
        "opens_rounds": user.has_role(*INDEX_ROLES),
    }
    return render(request, "inspections/round_list.html", context)


def _round_for(request: HttpRequest, pk: int) -> InspectionRound:
    return selectors.get_round_for(request.user, pk)


@role_required(*INDEX_ROLES)
def round_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    round_ = _round_for(request, pk)
    is_staff = services.runs_inspections(request.user, round_.district_id)
    forms = forms or {}
    context = {
        "round": round_,
        "targets": selectors.targets_for(request.user, round_),
        "findings": selectors.findings_for(request.user).filter(round=round_),
        "leads": selectors.leads_for(request.user).filter(round=round_),
        "persons": selectors.persons_for(request.user).filter(round=round_),
        "sees_cases": request.user.has_role(*DISTRICT_WIDE_ROLES),
        "today": timezone.localdate(),
    }
    if is_staff:
        context["forms"] = {
            "finding": forms.get("finding") or FindingForm(round_=round_, initial={"owner": request.user}),
            "lead": forms.get("lead") or LeadForm(round_=round_),
            "person": forms.get("person") or PersonForm(round_=round_),
        }
    return render(request, "inspections/round_detail.html", context, status=status)


RECORDS = {
    "finding": (FindingForm, services.finding_record),
    "lead": (LeadForm, services.lead_record),
    "person": (PersonForm, services.person_record),
}


@require_POST
@role_required(Role.COMMISSION_STAFF)
def round_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Add a finding, a lead or a person handled to the round."""
    round_ = _round_for(request, pk)
    if what not in RECORDS:
        raise Http404
    form_class, service = RECORDS[what]
    form = form_class(request.POST, round_=round_)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        try:
            service(round_=round_, acting_user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:round", pk=round_.pk)
    return round_detail(request, pk, forms={what: form}, status=400)


@role_required(Role.COMMISSION_STAFF)
def revisit_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    """回头看: the candidate villages in three groups with the reasons; staff pick, and the earlier
    findings of the picked villages come back as re-check items."""
    round_ = _round_for(request, pk)
    if round_.kind != InspectionRound.Kind.REVISIT:
        raise Http404
    today = timezone.localdate()
    candidates = selectors.revisit_candidates(today, round_.district)
    if request.method == "POST":
        reasons = {}
        for group in (candidates.weak_party_building, candidates.many_petitions, candidates.prominent_problems):
            for candidate in group:
                if candidate.village.code in request.POST.getlist("village"):
                    reasons.setdefault(candidate.village, []).extend(candidate.reasons)
        if not reasons:
            messages.error(request, _("Choose at least one village."))
        else:
            count = services.revisit_targets_add(
                round_=round_,
                choices={village: "；".join(texts) for village, texts in reasons.items()},
                acting_user=request.user,
                today=today,
            )
            messages.success(
                request,
                _("%(villages)s villages added; %(count)s earlier findings to re-check.")
                % {"villages": len(reasons), "count": count},
            )
            return redirect("inspections:round", pk=round_.pk)
    chosen = set(round_.targets.values_list("village__code", flat=True))
    groups = [
        (
            _("Weak party building (党建薄弱村)"),
            candidates.weak_party_building,
            _("C grade or bottom three of the township in the latest published index."),
        ),
        (
            _("Many petitions (信访多发村)"),
            candidates.many_petitions,
            _("%(count)s or more petitions received in the last 12 months.")
            % {"count": settings.REVISIT_PETITION_THRESHOLD},
        ),
        (_("Prominent problems (问题突出村)"), candidates.prominent_problems, _("Overdue or reopened rectification.")),
    ]
    context = {"round": round_, "groups": groups, "chosen": chosen}
    return render(request, "inspections/revisit_candidates.html", context)


@role_required(*selectors.READ_ROLES)
def finding_list(request: HttpRequest) -> HttpResponse:
    """The rectification ledger (整改台账) in the user's scope, filtered; also as xlsx."""
    status = request.GET.get("status", "")
    township = params.text(request.GET.get("township"))
    counties, county = _county(request)
    findings = selectors.ledger_for(
        request.user, status=status, township=township, county=county.code if county else ""
    )
    if request.GET.get("format") == "xlsx":
        return _ledger_xlsx(request, findings)
    context = {
        "page": Paginator(findings, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": Finding.Status.choices,
        "township": township,
        "townships": townships_for(request.user),
        "counties": counties,
        "county": county,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/finding_list.html", context)


def _ledger_xlsx(request: HttpRequest, findings) -> HttpResponse:
    headers = [
        _("Village code"),
        _("Village"),
        _("Township"),
        _("Finding category"),
        _("Problem description"),
        _("Severity"),
        _("Rectify at once"),
        _("Rectification measure"),
        _("Responsible person"),
        _("Found on"),
        _("Rectification due"),
        _("Status"),
        _("Overdue"),
    ]
    rows = [
        [
            finding.village.code,
            finding.village.name,
            finding.village.township.name,
            finding.category.name,
            finding.description,
            finding.get_severity_display(),
            "是" if finding.immediate else "否",
            finding.measure,
            finding.responsible_person,
            finding.found_on,
            finding.due_on,
            finding.get_status_display(),
            "是" if finding.overdue_since else "",
        ]
        for finding in findings
    ]
    record_event(EventType.EXPORTED, request=request, data={"what": "findings", "rows": len(rows), "format": "xlsx"})
    response = HttpResponse(xlsx_bytes(headers, rows, title="整改台账"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="findings.xlsx"'
    return response


def _finding_page(request: HttpRequest, finding: Finding, forms: dict | None = None, status: int = 200):
    user = request.user
    actions = services.allowed_actions(user, finding)
    version = {"version": finding.version}
    blank = {
        "progress": lambda: ProgressForm(initial=version),
        "close": lambda: CloseForm(initial=version),
        "reopen": lambda: ReopenForm(initial=version),
        "cite": lambda: DeductionCiteForm(district_id=finding.round.district_id),  # its county's draft rounds
    }
    available = {name: form() for name, form in blank.items() if name in actions}
    available.update(forms or {})  # a refused form (a conflict: its step may have passed) comes back as typed
    context = {
        "finding": finding,
        "steps": selectors.finding_steps(finding),
        "progress": finding.progress.select_related("recorded_by"),
        "evidence": finding.evidence.all(),
        "rechecks": finding.rechecks.select_related("round"),
        "scores": finding.scores.select_related("round__period", "indicator")
        if services.verifies(user, finding)
        else [],
        "forms": available,
        "can_submit": "submit" in actions,
        "today": timezone.localdate(),
    }
    return render(request, "inspections/finding_detail.html", context, status=status)


@role_required(*INDEX_ROLES)
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _finding_page(request, selectors.get_finding_for(request.user, pk))


def _progress(request, finding, form):
    services.progress_record(
        finding=finding,
        acting_user=request.user,
        note=form.cleaned_data["note"],
        uploads=form.cleaned_data["files"],
        version=form.cleaned_data["version"],
    )


FINDING_ACTIONS = {
    "progress": (ProgressForm, _progress),
    "close": (
        CloseForm,
        lambda request, finding, form: services.finding_close(
            finding=finding, acting_user=request.user, **form.cleaned_data
        ),
    ),
    "reopen": (
        ReopenForm,
        lambda request, finding, form: services.finding_reopen(
            finding=finding, acting_user=request.user, **form.cleaned_data
        ),
    ),
    "cite": (
        DeductionCiteForm,
        lambda request, finding, form: services.finding_cite(
            finding=finding,
            acting_user=request.user,
            round_=form.cleaned_data["round"],
            indicator=form.cleaned_data["indicator"],
            points=form.cleaned_data["points"],
        ),
    ),
}


@require_POST
@role_required(*INDEX_ROLES)
def finding_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    finding = selectors.get_finding_for(request.user, pk)
    if action == "submit":
        try:
            services.closure_submit(finding=finding, acting_user=request.user, version=posted_version(request.POST))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Submitted for closure."))
        return redirect("inspections:finding", pk=finding.pk)
    if action not in FINDING_ACTIONS:
        raise Http404
    form_class, call = FINDING_ACTIONS[action]
    if action == "progress":
        form = form_class(request.POST, request.FILES)
    elif action == "cite":
        form = form_class(request.POST, district_id=finding.round.district_id)
    else:
        form = form_class(request.POST)
    status = form_save(
        form,
        check=partial(services.finding_check_version, finding) if "version" in form.fields else None,
        save=lambda: call(request, finding, form),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("inspections:finding", pk=finding.pk)
    finding.refresh_from_db()
    return _finding_page(request, finding, {action: form}, status=status)


@role_required(*INDEX_ROLES)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the village (404 otherwise), as a download."""
    evidence = get_object_or_404(
        FindingEvidence.objects.filter(finding__in=selectors.findings_for(request.user)), pk=pk
    )
    return evidence_response(request, evidence)


@role_required(*selectors.READ_ROLES)
def figures(request: HttpRequest) -> HttpResponse:
    """The commission's figures for a date range, by township, against the same dates last year (同比).
    A township secretary sees the own township's, a county's people their county's, the city's roles every
    county of the city or the one they choose."""
    form, start, end, township = FiguresForm.period(request, townships_for(request.user), timezone.localdate())
    counties, county = _county(request)
    context = {
        "form": form,
        "start": start,
        "end": end,
        "township": township,
        "counties": counties,
        "county": county,
        "figures": selectors.figures(start, end, township, user=request.user, county=county),
        "last_start": same_day_last_year(start),
        "last_end": same_day_last_year(end),
    }
    return render(request, "inspections/figures.html", context)


@role_required(Role.COMMISSION_STAFF)
def findings_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (every finding, every error by row and column) → confirm: all or nothing."""
    round_ = _round_for(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None, sheet=_("Findings sheet (xlsx)"))
    context = {"round": round_, "form": form}
    if request.method == "POST" and form.is_valid():
        build = lambda data, name: importer.build_preview(round_, data, name)  # noqa: E731
        context.update(preview_upload(request, form, purpose=f"findings-{round_.pk}", build=build))
    return render(request, "inspections/findings_import.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def findings_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round_for(request, pk)
    return confirm_upload(
        request,
        purpose=f"findings-{round_.pk}",
        apply=lambda data, name: importer.apply_import(round_, data, name, acting_user=request.user),
        back=reverse("inspections:import", args=[pk]),
        done=reverse("inspections:round", args=[pk]),
        success=lambda preview: _("%(count)s findings imported.") % {"count": len(preview.findings)},
    )
