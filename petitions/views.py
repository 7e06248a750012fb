"""Petition pages. Cases (list, search, export, detail, steps) are for the petition office, staff and
leaders of the case's county and never show the identity; the identity has one page, for the county's
petition office, audited. Another county's case is 404, as a missing one. A township secretary sees its
township's aggregate figures and gets 404 on every case URL; the city's staff and leaders see the figures
of every county of their city (or of one), never a case."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.forms import FiguresForm
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from core.uploads import evidence_response
from core.versioning import posted_version
from scoring.forms import DeductionCiteForm
from villages.models import District, Township, Village
from villages.selectors import townships_for

from . import selectors, services, visit_selectors
from .forms import (
    AcceptForm,
    ConcludeForm,
    ConfirmForm,
    DateForm,
    ExtendForm,
    FeedBackForm,
    IntakeForm,
    ListForm,
    OpinionForm,
    RepeatForm,
    StrikeOffForm,
    TransferForm,
)
from .models import ListedCaseEvidence, Petition


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(*selectors.CASE_ROLES):
        raise Http404
    query = params.text(request.GET.get("q"))
    petitions = selectors.search(request.user, query)
    status = request.GET.get("status", "")
    if status in Petition.Status.values:
        petitions = petitions.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return _export(request, petitions)
    context = {
        "page": Paginator(petitions, 50).get_page(request.GET.get("page")),
        "query": query,
        "status": status,
        "statuses": Petition.Status.choices,
    }
    return render(request, "petitions/petition_list.html", context)


EXPORT_HEADERS = [
    gettext_lazy("No."),
    gettext_lazy("Received"),
    gettext_lazy("Channel"),
    gettext_lazy("Named"),
    gettext_lazy("Person complained about"),
    gettext_lazy("Post"),
    gettext_lazy("Township"),
    gettext_lazy("Village"),
    gettext_lazy("Subject"),
    gettext_lazy("Class (五字)"),
    gettext_lazy("Status"),
    gettext_lazy("Conclusion"),
]


def _export(request: HttpRequest, petitions) -> HttpResponse:
    """The list as xlsx: the columns of the list, never the petitioner."""
    rows = [
        [
            petition.pk,
            petition.received_on,
            petition.get_channel_display(),
            "是" if petition.named else "否",
            petition.subject_name,
            petition.subject_post,
            petition.township.name,
            petition.village.name if petition.village else "",
            petition.get_category_display(),
            petition.petition_class.name if petition.petition_class else "",
            petition.get_status_display(),
            petition.get_conclusion_display(),
        ]
        for petition in petitions
    ]
    record_event(EventType.EXPORTED, request=request, data={"what": "petitions", "rows": len(rows)})
    response = HttpResponse(xlsx_bytes(EXPORT_HEADERS, rows, title="信访件"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="petitions.xlsx"'
    return response


# The selects naming a place, each offering the own county's only: the place's model and its county.
PLACES = {
    "township": (Township, "district"),
    "to_township": (Township, "district"),
    "village": (Village, "township__district"),
}


def _valid(form: Form, district: District | None) -> bool:
    """form.is_valid(); a place of another county named where the selects offer the own county's only is
    answered 404, as asking for that place is (only a forged request names one). A place that is none at
    all, or no longer offered (a merged village), stays the form's error."""
    if form.is_valid():
        return True
    for name, (model, county) in PLACES.items():
        value = str(form.data.get(name, ""))
        refused = any(error.code == "invalid_choice" for error in form.errors.as_data().get(name, []))
        named = value.isascii() and value.isdigit() and len(value) < 19  # a primary key, not an overflow
        if refused and named and model.objects.filter(pk=int(value)).exclude(**{county: district}).exists():
            raise Http404
    return False


@role_required(Role.PETITION_OFFICER)
def petition_new(request: HttpRequest) -> HttpResponse:
    initial = {"received_on": timezone.localdate()}
    form = IntakeForm(request.POST or None, initial=initial, district=request.user.district)
    if request.method == "POST" and _valid(form, request.user.district):
        data = {name: form.cleaned_data[name] for name in IntakeForm.Meta.fields}
        try:
            petition = services.petition_register(
                acting_user=request.user,
                identity=form.cleaned_data["identity"],
                contact=form.cleaned_data["contact"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Registered."))
            return redirect("petitions:petition", pk=petition.pk)
    return render(request, "petitions/petition_new.html", {"form": form})


@role_required(*selectors.CASE_ROLES)
def village_options(request: HttpRequest) -> HttpResponse:
    """htmx, from the registration form: its village select for the township chosen, keeping the village
    chosen when it is one of that township's."""
    if not services.handles_cases(request.user):
        raise PermissionDenied
    form = IntakeForm(initial={"village": params.text(request.GET.get("village"))}, district=request.user.district)
    try:
        form.narrow_villages(params.text(request.GET.get("township")))
    except ValidationError as error:
        raise BadRequest("no such township") from error
    return render(request, "petitions/partials/village_select.html", {"form": form})


# action: (form, service taking petition=, acting_user=, expected_version= and the form's data)
ACTIONS = {
    "accept": (AcceptForm, services.petition_accept),
    "transfer": (TransferForm, services.petition_transfer),
    "notify": (DateForm, services.petitioner_notified),
    "start": (OpinionForm, services.petition_start),
    "conclude": (ConcludeForm, services.petition_conclude),
    "feed_back": (FeedBackForm, services.petition_feed_back),
    "extend": (ExtendForm, services.extension_approve),
    "archive": (ConfirmForm, services.petition_archive),
}
# Citing writes a score of the index, not the case: it carries no version of the case.
UNVERSIONED = {"cite"}


def _forms_for(request, petition, bound: dict, conflict: str | None) -> dict:
    """A blank form for each act the user may take on the case now (services.allowed_actions); `bound`
    ones keep what was typed."""
    today = {"on": timezone.localdate()}
    blank = {
        "accept": lambda: AcceptForm(initial=today),
        "transfer": lambda: TransferForm(initial=today, district=petition.district),
        "notify": lambda: DateForm(initial=today),
        "start": OpinionForm,
        "conclude": lambda: ConcludeForm(initial=today),
        "feed_back": lambda: FeedBackForm(initial=today),
        "archive": ConfirmForm,
        "extend": ExtendForm,
        "list": lambda: ListForm(initial={"deadline": timezone.localdate()}, district=petition.district),
        "cite": lambda: DeductionCiteForm(district_id=petition.district_id),  # its county's draft rounds
    }
    actions = services.allowed_actions(request.user, petition)
    return {
        name: bound[name] if name in bound else form()
        for name, form in blank.items()
        if name in actions and name != conflict
    }


def _detail(request, petition, bound: dict | None = None, status: int = 200, conflict=None) -> HttpResponse:
    """The case with the steps the user may take now. `bound` holds forms refused by their own errors;
    `conflict` is (action, form) of a step refused because someone acted meanwhile: its form, with what
    was typed, stands beside the case's state now instead of in its usual place."""
    bound = bound or {}
    conflict_name = conflict[0] if conflict else None
    steps = petition.steps.select_related("actor")
    candidates = list(services.repeat_candidates(petition)) if request.user.has_role(Role.PETITION_OFFICER) else []
    listing = getattr(petition, "listing", None)
    can_strike_off = listing and not listing.struck_off_on and conflict_name != "strike_off"
    forms = _forms_for(request, petition, bound, conflict_name)
    offered = {*forms, *(["strike_off"] if can_strike_off else []), *(["repeat"] if candidates else [])}
    for name, form in bound.items():
        if name not in offered:  # a step the case does not offer now has no form here to show its refusal
            for error in form.non_field_errors():
                messages.error(request, error)
    context = {
        "petition": petition,
        "steps": steps,
        "due": petition.next_legal_due,
        "forms": forms,
        "candidates": candidates if conflict_name != "repeat" else [],
        "repeat_form": bound.get("repeat") or (RepeatForm(candidates=candidates) if candidates else None),
        "listing": listing,
        "strike_form": (bound.get("strike_off") or StrikeOffForm()) if can_strike_off else None,
        "conflict": conflict and {"name": conflict_name, "form": conflict[1], "last_step": steps.last()},
        "stale_message": services.STALE_CASE,
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_petition_for(request.user, pk))


@require_POST
@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of the case. A form filled in against an older version of the case is a conflict, shown
    before any error of the form itself, and nothing is written."""
    petition = selectors.get_petition_for(request.user, pk)
    form_class, service = _action(action)
    kwargs: dict = {"candidates": services.repeat_candidates(petition)} if action == "repeat" else {}
    if action in ("transfer", "list"):
        kwargs["district"] = petition.district  # its townships and leaders
    if action == "cite":
        kwargs["district_id"] = petition.district_id  # its county's draft rounds
    version = posted_version(request.POST)
    if action not in UNVERSIONED and version != petition.version:
        typed = form_class(initial=request.POST.dict(), **kwargs)  # what was typed, not yet judged
        return _detail(request, petition, status=409, conflict=(action, typed))
    form = form_class(request.POST, request.FILES, **kwargs)
    if _valid(form, petition.district):
        try:
            service(petition, request.user, form.cleaned_data, version)
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":  # someone saved between the check above and the lock
                petition.refresh_from_db()
                return _detail(request, petition, status=409, conflict=(action, form))
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("petitions:petition", pk=petition.pk)
    petition.refresh_from_db()
    return _detail(request, petition, {action: form}, status=400)


def _action(action: str):
    """(form, call taking the case, the user, the form's data and the version the form carries)."""
    if action in ACTIONS:
        form_class, service = ACTIONS[action]
        return form_class, lambda petition, user, data, version: service(
            petition=petition, acting_user=user, expected_version=version, **data
        )
    if action == "repeat":
        return RepeatForm, lambda petition, user, data, version: services.repeat_link(
            petition=petition, earlier=data["earlier"], acting_user=user, expected_version=version
        )
    if action == "list":
        return ListForm, lambda petition, user, data, version: services.case_list(
            petition=petition, acting_user=user, on=timezone.localdate(), expected_version=version, **data
        )
    if action == "cite":
        return DeductionCiteForm, lambda petition, user, data, version: services.petition_cite(
            petition=petition,
            acting_user=user,
            round_=data["round"],
            indicator=data["indicator"],
            points=data["points"],
        )
    if action == "strike_off":
        return StrikeOffForm, lambda petition, user, data, version: services.case_strike_off(
            petition=petition,
            acting_user=user,
            resolution=data["resolution"],
            verification=data["verification"],
            uploads=data["files"],
            on=timezone.localdate(),
            expected_version=version,
        )
    raise Http404


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The one page that shows who petitioned: the petition office only, each view audited, never cached."""
    petition = selectors.get_petition_for(request.user, pk)
    if not services.handles_case(request.user, petition):
        raise PermissionDenied
    who = services.identity_read(petition=petition, acting_user=request.user, request=request)
    return render(request, "petitions/identity.html", {"petition": petition, "who": who})


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def listing_evidence(request: HttpRequest, pk: int):
    evidence = get_object_or_404(
        ListedCaseEvidence.objects.filter(listing__petition__in=selectors.petitions_for(request.user)), pk=pk
    )
    return evidence_response(request, evidence)


@role_required(*selectors.CASE_ROLES)
def due(request: HttpRequest) -> HttpResponse:
    """Due soon and overdue cases by their next legal deadline; cases past their class target apart."""
    due_soon, overdue, past_target = selectors.due_lists(request.user, timezone.localdate())
    return render(request, "petitions/due.html", {"due_soon": due_soon, "overdue": overdue, "past_target": past_target})


@role_required(Role.COMMISSION_LEADER)
def board(request: HttpRequest) -> HttpResponse:
    """The leader's listed cases (包案)."""
    return render(request, "petitions/board.html", {"listings": selectors.leader_board(request.user)})


@role_required(*selectors.FIGURE_ROLES)
def figures(request: HttpRequest) -> HttpResponse:
    """Figures with 同比, aggregate only: a township secretary gets the own township's, a county's people
    their county's, the city's roles every county of the city or the one chosen (`county`: its code)."""
    form, start, end, township = FiguresForm.period(request, townships_for(request.user), timezone.localdate())
    counties = selectors.counties_for(request.user)
    code = params.text(request.GET.get("county"))
    county = counties.filter(code=code).first() if code else None
    user = cast(User, request.user)
    petition_figures = selectors.figures(start, end, township, petitions=selectors.figures_scope(user, county))
    # 主动下访 beside them: a petition registered from a visit's issue counts once (visit_selectors).
    visits = visit_selectors.visit_figures(
        start, end, township, visits=visit_selectors.visit_figures_scope(user, county)
    )
    context = {
        "form": form,
        "start": start,
        "end": end,
        "township": township,
        "counties": counties,
        "county": county,
        "figures": petition_figures,
        "visits": visits,
        "visit_lines": visits.lines(petition_figures.total),
    }
    return render(request, "petitions/figures.html", context)
