"""The index's publicity (公示): the public objection form and the receipt page, mounted on the public site
(lianjie/urls.py: the public app only reads, so the form that writes lives here), and the staff's pages
that list, answer and correct objections.

The public views touch the session (CSRF) and are never cached; the form is limited per client address."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.access import role_required
from accounts.roles import Role
from core import params
from villages.selectors import public_village

from . import objection_selectors as selectors
from . import objections
from .forms import IndexObjectionAnswerForm, IndexObjectionForm, ReasonForm
from .models import Round
from .objection_forms import RecordedObjectionForm
from .selectors import public_counties, public_round

RATE_LIMITED = _("Too many objections from your address: try again in an hour, or write to the district commission.")


def _objected_round(request: HttpRequest, period: str) -> Round:
    """The published round of the period objected to: of the county `?county=` names, or of the village
    `?village=` names (a city's installation), else the installation's one county's; 404 when none."""
    county_code, village_code = params.text(request.GET.get("county")), params.text(request.GET.get("village"))
    district_id = None
    if county_code:
        county = next((county for county in public_counties() if county.code == county_code), None)
        if county is None:
            raise Http404
        district_id = county.pk
    elif village_code:
        district_id = public_village(village_code).township.district_id
    round_ = public_round(period, district_id)
    if round_ is None:
        raise Http404
    return round_


def _rate(group: str, request: HttpRequest) -> str:
    return settings.OBJECTION_RATE


@ratelimit(group="index-objection", key="ip", rate=_rate, method="POST", block=False)
def objection_new(request: HttpRequest, period: str) -> HttpResponse:
    """提出异议: anyone, without an account, while the round is in its publicity period."""
    round_ = _objected_round(request, period)
    villages = selectors.objected_villages(round_)
    initial = {"village": params.text(request.GET.get("village"))}
    form = IndexObjectionForm(request.POST or None, villages=villages, initial=initial)
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            form.add_error(None, RATE_LIMITED)
            status = 429
        elif form.is_valid():
            try:
                objection = objections.objection_submit(
                    round_=round_,
                    village=form.cleaned_data["village"],
                    content=form.cleaned_data["content"],
                    contact=form.contact(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                receipt = reverse("objection:receipt") + "?" + urlencode({"code": objection.receipt_code})
                return redirect(f"{receipt}&new=1")
    context = {"round": round_, "form": form, "closed": not round_.in_publicity}
    return render(request, "scoring/objection_new.html", context, status=status)


def objection_receipt(request: HttpRequest) -> HttpResponse:
    """查询异议: by the receipt code, the objection's stage and answer; never its text nor the contact."""
    code = params.text(request.GET.get("code"))
    objection = selectors.objection_by_receipt(code) if code else None
    context = {"code": code, "objection": objection, "new": bool(request.GET.get("new"))}
    return render(request, "scoring/objection_receipt.html", context, status=404 if code and not objection else 200)


@role_required(*selectors.OBJECTION_COUNT_READERS)
def objection_list(request: HttpRequest) -> HttpResponse:
    """The objections the user may open (the city's roles: the counts per county only)."""
    user = request.user
    rows = (
        selectors.objections_for(user).order_by(F("upheld").asc(nulls_first=True), "-received_at")  # waiting first
        if user.has_role(*selectors.OBJECTION_READERS)
        else None
    )
    context = {
        "objections": rows,
        "counts": selectors.objection_counts(user),
        "perms_record": user.has_role(Role.COMMISSION_STAFF),
    }
    return render(request, "scoring/objection_list.html", context)


@role_required(Role.COMMISSION_STAFF)
def objection_record(request: HttpRequest) -> HttpResponse:
    """登记来信来电来访异议: the county's staff write an objection that reached them offline; its page then
    shows the receipt code to pass on."""
    user = request.user
    rounds = selectors.recordable_rounds(user)
    posted_round = params.text(request.POST.get("round"))
    if posted_round.isdigit() and not rounds.filter(pk=posted_round).exists():
        raise Http404  # another county's round (or none): as if it did not exist
    form = RecordedObjectionForm(
        request.POST or None,
        rounds=rounds,
        villages=selectors.recordable_villages(user),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                objection = objections.objection_record(
                    round_=form.cleaned_data["round"],
                    village=form.cleaned_data["village"],
                    content=form.cleaned_data["content"],
                    contact=form.contact(),
                    channel=form.cleaned_data["channel"],
                    acting_user=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The objection is recorded: pass the receipt code on to the resident."))
                return redirect("scoring:objection", pk=objection.pk)
    return render(request, "scoring/objection_record.html", {"form": form}, status=status)


def _detail(request: HttpRequest, objection, forms: dict | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    may_answer = objections.can_answer(user, objection)
    contact = (
        objections.objection_contact_read(objection=objection, acting_user=user, request=request) if may_answer else ""
    )
    context = {
        "objection": objection,
        "may_answer": may_answer,
        "contact": contact,
        # Received offline: the resident has no receipt code until the staff pass it on.
        "receipt_code": objection.receipt_code if may_answer and objection.channel != objection.Channel.ONLINE else "",
        "answer_form": IndexObjectionAnswerForm(),
        "correction_form": ReasonForm(),
        **(forms or {}),
    }
    return render(request, "scoring/objection_detail.html", context, status=status)


@role_required(*selectors.OBJECTION_READERS)
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_objection_for(request.user, pk))


@require_POST
@role_required(Role.COMMISSION_STAFF)
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.get_objection_for(request.user, pk)
    form = IndexObjectionAnswerForm(request.POST)
    if form.is_valid():
        try:
            objections.objection_answer(objection=objection, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("scoring:objection", pk=objection.pk)
    return _detail(request, objection, {"answer_form": form}, status=400)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def objection_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """An upheld objection opens a correction of its round (or joins the draft correction being prepared)."""
    objection = selectors.get_objection_for(request.user, pk)
    form = ReasonForm(request.POST)
    form.fields["reason"].required = False  # joining a correction being prepared needs none
    if form.is_valid():
        try:
            correction = objections.objection_correction_open(
                objection=objection, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("scoring:round", pk=correction.pk)
    return _detail(request, objection, {"correction_form": form}, status=400)
