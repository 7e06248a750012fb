"""Follow-up of a published round, per township: the bottom three and their diagnosis (清廉问诊), partners
for C villages (结对帮扶) and their visits, C villages' rectification, the A villages (培育提升); and the
staff overview of every township."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import Role
from villages.selectors import get_village_for, townships_for, villages_for

from . import selectors, services
from .forms import DiagnosisForm, HelpVisitForm, RectificationForm
from .models import Pairing, Round
from .selectors import INDEX_READERS, ROUND_READERS
from .views import county_choice, county_for, published_round_for


def _township(request: HttpRequest, code: str):
    return get_object_or_404(townships_for(request.user), code=code)


@role_required(*INDEX_READERS)
def follow_up(request: HttpRequest, township_code: str) -> HttpResponse:
    township = _township(request, township_code)
    round_ = published_round_for(request, township.district_id)
    context = {
        "round": round_,
        "township": township,
        "follow_up": selectors.follow_up(round_, township),
        "may_follow_up": services.can_follow_up(request.user, township),
        "may_confirm_pairing": services.can_confirm_pairing(request.user, township),
    }
    return render(request, "scoring/follow_up.html", context)


def _back(round_, village) -> HttpResponse:
    return redirect(f"{reverse('scoring:follow_up', args=[village.township.code])}?period={round_.period.code}")


def _record(request: HttpRequest, form_class, title: str, save, village, round_, **extra) -> HttpResponse:
    """GET shows the form; POST saves through `save(form.cleaned_data)` and goes back to the follow-up."""
    form = form_class(request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return _back(round_, village)
    context = {"form": form, "village": village, "round": round_, "title": title}
    return render(request, "scoring/follow_up_form.html", context)


@role_required(Role.COMMISSION_STAFF, Role.TOWNSHIP_SECRETARY)
def diagnosis_new(request: HttpRequest, code: str) -> HttpResponse:
    village = get_village_for(request.user, code)
    round_ = published_round_for(request, village.township.district_id)
    return _record(
        request,
        DiagnosisForm,
        _("Integrity diagnosis of %(village)s") % {"village": village},
        lambda data: services.diagnosis_record(round_=round_, village=village, acting_user=request.user, **data),
        village,
        round_,
    )


@role_required(Role.COMMISSION_STAFF, Role.TOWNSHIP_SECRETARY)
def rectification_edit(request: HttpRequest, code: str) -> HttpResponse:
    village = get_village_for(request.user, code)
    round_ = published_round_for(request, village.township.district_id)
    current = round_.rectifications.filter(village=village).first()
    return _record(
        request,
        RectificationForm,
        _("Rectification goals of %(village)s") % {"village": village},
        lambda data: services.rectification_save(round_=round_, village=village, acting_user=request.user, **data),
        village,
        round_,
        instance=current,
    )


@require_POST
@role_required(Role.COMMISSION_STAFF)
def pairing_confirm(request: HttpRequest, code: str) -> HttpResponse:
    helped = get_village_for(request.user, code)
    helper = get_village_for(request.user, request.POST.get("helper", ""))
    round_ = published_round_for(request, helped.township.district_id)
    try:
        services.pairing_confirm(round_=round_, helper=helper, helped=helped, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(helper)s now helps %(helped)s.") % {"helper": helper, "helped": helped})
    return _back(round_, helped)


@role_required(Role.COMMISSION_STAFF, Role.TOWNSHIP_SECRETARY)
def help_visit_new(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.filter(helped__in=villages_for(request.user)).select_related("round__period", "helped"),
        pk=pairing_id,
    )
    return _record(
        request,
        HelpVisitForm,
        _("Help visit to %(village)s") % {"village": pairing.helped},
        lambda data: services.help_visit_record(pairing=pairing, acting_user=request.user, **data),
        pairing.helped,
        pairing.round,
    )


@role_required(*ROUND_READERS)
def overview(request: HttpRequest) -> HttpResponse:
    """The county's overview: grades per township, entry progress of the round being entered, follow-up
    counts; the city's roles choose the county."""
    county_id = county_for(request)
    round_ = published_round_for(request, county_id)
    draft = (
        selectors.rounds_for(request.user)
        .filter(period__district_id=county_id)
        .exclude(status=Round.Status.PUBLISHED)
        .first()
    )
    context = {
        "round": round_,
        "townships": selectors.township_shares(round_),
        "draft": draft,
        "progress": selectors.entry_progress(draft) if draft else [],
        **county_choice(request, county_id),
    }
    return render(request, "scoring/overview.html", context)
