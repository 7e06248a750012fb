"""Petition pages. Cases (list, search, export, detail, steps) are for the petition office, staff and
leaders and never show the identity; the identity has one page, for the petition office, audited.
A township secretary sees its township's aggregate figures and gets 404 on every case URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from accounts.access import role_required
from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from inspections.forms import FiguresForm
from lianjie.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from lianjie.uploads import evidence_response
from scoring.forms import DeductionCiteForm
from villages.selectors import townships_for

from . import selectors, services
from .forms import (
    AcceptForm,
    ConcludeForm,
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
from .models import ListedCaseEvidence, Notice, Petition

OFFICER = Role.PETITION_OFFICER


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(*selectors.CASE_ROLES):
        raise Http404
    query = request.GET.get("q", "").strip()
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
    "编号",
    "收到日期",
    "渠道",
    "实名",
    "被反映人",
    "职务",
    "镇街",
    "村居",
    "问题类别",
    "五字分类",
    "状态",
    "结论",
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
            petition.get_finding_display(),
        ]
        for petition in petitions
    ]
    record_event(EventType.EXPORTED, request=request, data={"what": "petitions", "rows": len(rows)})
    response = HttpResponse(xlsx_bytes(EXPORT_HEADERS, rows, title="信访件"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="petitions.xlsx"'
    return response


@role_required(OFFICER)
def petition_new(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
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


# action: (form, service taking petition=, acting_user= and the form's data)
ACTIONS = {
    "accept": (AcceptForm, services.petition_accept),
    "transfer": (TransferForm, services.petition_transfer),
    "notify": (DateForm, services.petitioner_notified),
    "start": (OpinionForm, services.petition_start),
    "conclude": (ConcludeForm, services.petition_conclude),
    "feed_back": (FeedBackForm, services.petition_feed_back),
    "extend": (ExtendForm, services.extension_approve),
}


def _forms_for(request, petition, bound: dict) -> dict:
    user, status = request.user, petition.status
    today = {"on": timezone.localdate()}
    available = {}
    if user.has_role(OFFICER):
        if status == Petition.Status.REGISTERED:
            available["accept"] = AcceptForm(initial=today)
            available["transfer"] = TransferForm(initial=today)
        if (
            status in (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)
            and petition.named
            and not petition.notified_on
        ):
            available["notify"] = DateForm(initial=today)
        if status == Petition.Status.ACCEPTED:
            available["start"] = OpinionForm()
        if status == Petition.Status.IN_PROGRESS:
            available["conclude"] = ConcludeForm(initial=today)
        if status == Petition.Status.CONCLUDED:
            available["feed_back"] = FeedBackForm(initial=today)
    handled = status in (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)
    if user.has_role(Role.COMMISSION_LEADER) and handled and not petition.extension_days:
        available["extend"] = ExtendForm()
    if not hasattr(petition, "listing") and user.has_role(*selectors.CASE_ROLES):
        available["list"] = ListForm(initial={"deadline": timezone.localdate()})
    if petition.substantiated and petition.village_id and user.has_role(Role.COMMISSION_STAFF):
        available["cite"] = DeductionCiteForm()
    return {name: bound.get(name, form) for name, form in available.items()}


def _detail(request, petition, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    candidates = list(services.repeat_candidates(petition)) if request.user.has_role(OFFICER) else []
    listing = getattr(petition, "listing", None)
    context = {
        "petition": petition,
        "steps": petition.steps.select_related("actor"),
        "due": services.due_date(petition),
        "forms": _forms_for(request, petition, bound),
        "candidates": candidates,
        "repeat_form": bound.get("repeat") or (RepeatForm(candidates=candidates) if candidates else None),
        "listing": listing,
        "strike_form": bound.get("strike_off") or StrikeOffForm() if listing and not listing.struck_off_on else None,
        "can_archive": request.user.has_role(OFFICER)
        and petition.status in (Petition.Status.FED_BACK, Petition.Status.TRANSFERRED),
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_petition_for(request.user, pk))


@require_POST
@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def petition_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    petition = selectors.get_petition_for(request.user, pk)
    if action == "archive":
        return _simple(
            request, petition, lambda: services.petition_archive(petition=petition, acting_user=request.user)
        )
    form_class, service = _action(action)
    kwargs = {"candidates": services.repeat_candidates(petition)} if action == "repeat" else {}
    form = (
        form_class(request.POST, request.FILES, **kwargs)
        if action == "strike_off"
        else form_class(request.POST, **kwargs)
    )
    if form.is_valid():
        try:
            service(petition, request.user, form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as error:
            form.add_error(
                None, error.messages if isinstance(error, ValidationError) else _("This step is not possible now.")
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("petitions:petition", pk=petition.pk)
    petition.refresh_from_db()
    return _detail(request, petition, {action: form}, status=400)


def _simple(request, petition, call) -> HttpResponse:
    try:
        call()
    except (ValidationError, TransitionNotAllowed):
        messages.error(request, _("This step is not possible now."))
    else:
        messages.success(request, _("Saved."))
    return redirect("petitions:petition", pk=petition.pk)


def _action(action: str):
    if action in ACTIONS:
        form_class, service = ACTIONS[action]
        return form_class, lambda petition, user, data: service(petition=petition, acting_user=user, **data)
    if action == "repeat":
        return RepeatForm, lambda petition, user, data: services.repeat_link(
            petition=petition, earlier=data["earlier"], acting_user=user
        )
    if action == "list":
        return ListForm, lambda petition, user, data: services.case_list(
            petition=petition, acting_user=user, on=timezone.localdate(), **data
        )
    if action == "cite":
        return DeductionCiteForm, lambda petition, user, data: services.petition_cite(
            petition=petition,
            acting_user=user,
            round_=data["round"],
            indicator=data["indicator"],
            points=data["points"],
        )
    if action == "strike_off":
        return StrikeOffForm, lambda petition, user, data: services.case_strike_off(
            listing=petition.listing,
            acting_user=user,
            resolution=data["resolution"],
            verification=data["verification"],
            uploads=data["files"],
            on=timezone.localdate(),
        )
    raise Http404


@role_required(*selectors.CASE_ROLES, Role.TOWNSHIP_SECRETARY)
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    """The one page that shows who petitioned: the petition office only, each view audited, never cached."""
    petition = selectors.get_petition_for(request.user, pk)
    if not request.user.has_role(OFFICER):
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
    """Due soon and overdue cases by their next legal deadline."""
    due_soon, overdue = selectors.due_lists(request.user, timezone.localdate())
    return render(
        request, "petitions/due.html", {"due_soon": due_soon, "overdue": overdue, "due_date": services.due_date}
    )


@role_required(Role.COMMISSION_LEADER)
def board(request: HttpRequest) -> HttpResponse:
    """The leader's listed cases (包案)."""
    return render(request, "petitions/board.html", {"listings": selectors.leader_board(request.user)})


@role_required(*selectors.FIGURE_ROLES)
def figures(request: HttpRequest) -> HttpResponse:
    """Figures with 同比; a township secretary gets the own township's, aggregate only."""
    form, start, end, township = FiguresForm.period(request, townships_for(request.user), timezone.localdate())
    context = {
        "form": form,
        "start": start,
        "end": end,
        "township": township,
        "figures": selectors.figures(start, end, township),
    }
    return render(request, "petitions/figures.html", context)


@role_required(*Role)
def notices(request: HttpRequest) -> HttpResponse:
    """The user's in-app notices; opening the page marks them read."""
    mine = Notice.objects.filter(user=request.user)
    page = list(mine[:100])
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "petitions/notices.html", {"notices": page})
