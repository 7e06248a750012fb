"""Staff and leader pages of a round: its list, its workflow, the import and the entry grid."""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.roles import DISTRICT_WIDE_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.forms import ImportForm
from core.imports import confirm_upload, preview_upload
from core.spreadsheets import XLSX_CONTENT_TYPE
from core.states import require_step
from villages.models import Township

from . import selectors, services
from .exporter import score_sheet
from .forms import NewRoundForm, ReasonForm, ReturnForm, ScoreCellForm
from .importer import apply_import, build_preview
from .indicator_notes import indicator_notes
from .models import Indicator, Round, Score
from .selectors import ROUND_READERS


def _round(request: HttpRequest, pk: int) -> Round:
    """The round if the user may open it: the own county's (the city's roles: their counties'); another
    county's round is 404, as a missing one."""
    return get_object_or_404(selectors.rounds_for(request.user), pk=pk)


@role_required(*ROUND_READERS)
def round_list(request: HttpRequest) -> HttpResponse:
    """The county's rounds and, for its staff, a new round (of their own county); the city's roles read
    every county's rounds of their city, or one county's (`?county=`)."""
    form = NewRoundForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not services.can_create_round(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.period_get_or_create(
                    code=form.cleaned_data["period"], scheme=form.cleaned_data["scheme"], acting_user=request.user
                )
                round_ = services.round_create(period=period, acting_user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("scoring:round", pk=round_.pk)
    rounds = selectors.rounds_for(request.user)
    counties = list(selectors.counties_for(request.user)) if request.user.county_id is None else []
    county = next((c for c in counties if c.code == params.text(request.GET.get("county"))), None)
    if county is not None:
        rounds = rounds.filter(period__district=county)
    context = {
        "rounds": rounds,
        "form": form,
        "may_create": services.can_create_round(request.user),
        # The city's roles see every county's rounds, each named with its county, and may narrow to one.
        "counties": counties if len(counties) > 1 else [],
        "county": county,
    }
    return render(request, "scoring/round_list.html", context)


RETURN_SHOWN = (Round.Status.DRAFT, Round.Status.SUBMITTED)


def _detail(request: HttpRequest, round_: Round, return_form: ReturnForm | None = None) -> HttpResponse:
    """The round with what the user may do with it now. A leader who may publish it sees first what
    publishing makes public, and publishes from there (the confirmation). `return_form`: a return
    refused by its own error, with what was typed."""
    steps = selectors.round_steps(round_)
    returns = [step for step in steps if step.moved(Round.Status.SUBMITTED, Round.Status.DRAFT)]
    actions = services.round_actions(request.user, round_)
    context = {
        "round": round_,
        "actions": actions,
        "progress": selectors.entry_progress(round_),
        "reason_form": ReasonForm(),
        "return_form": return_form or ReturnForm(auto_id="id_return_%s"),
        "steps": steps,
        # The leader's why, on top, while staff still have the returned round in hand; once submitted
        # again, the latest one stays in view for the leader to check it was met.
        "last_return": returns[-1] if returns and round_.status in RETURN_SHOWN else None,
        "summary": selectors.publication_summary(round_) if "publish" in actions else None,
    }
    return render(request, "scoring/round_detail.html", context, status=400 if return_form else 200)


@role_required(*ROUND_READERS)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _round(request, pk))


TRANSITIONS = {
    "submit": (services.round_submit, gettext_lazy("The round has been submitted for approval.")),
    "approve": (services.round_approve, gettext_lazy("The round has been approved.")),
}
PUBLISH_NEEDS_CONFIRMATION = gettext_lazy(
    "Nothing was published: check the summary below, then confirm the publication."
)


@require_POST
@role_required(*DISTRICT_WIDE_ROLES)
def round_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = _round(request, pk)
    if action in TRANSITIONS:
        service, done = TRANSITIONS[action]
        call = lambda: service(round_=round_, acting_user=request.user)  # noqa: E731
    elif action == "publish":
        # The summary's button sends the fingerprint of the results it showed: that is the confirmation,
        # checked again against the results as they are published. A publish posted without it publishes
        # nothing.
        confirmed = request.POST.get("confirm")
        if not confirmed:
            require_step(request.user, round_.publish)  # one who may not publish is refused as such
            messages.error(request, PUBLISH_NEEDS_CONFIRMATION)
            return redirect(reverse("scoring:round", args=[pk]) + "#publish-summary")
        done = _("The round has been published.")
        call = lambda: services.round_publish(  # noqa: E731
            round_=round_, acting_user=request.user, fingerprint=confirmed
        )
    elif action == "return":
        require_step(request.user, round_.return_to_staff)
        form = ReturnForm(request.POST, auto_id="id_return_%s")
        if not form.is_valid() and round_.status == Round.Status.SUBMITTED:
            return _detail(request, round_, return_form=form)  # the reason's error under its field
        done = _("The round has been returned to staff.")
        call = lambda: services.round_return(  # noqa: E731
            round_=round_, acting_user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    elif action == "correct":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please give a reason."))
            return redirect("scoring:round", pk=pk)
        done = _("A correction has been opened.")
        call = lambda: services.round_correct(  # noqa: E731
            round_=round_, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
    else:
        raise Http404
    try:
        result = call()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("scoring:round", args=[pk]) + ("#publish-summary" if action == "publish" else ""))
    messages.success(request, done)
    return redirect("scoring:round", pk=result.pk)


@role_required(*ROUND_READERS)
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    villages = selectors.round_village_queryset(round_)
    record_event(EventType.EXPORTED, request=request, target=round_, data={"what": "scores", "format": "xlsx"})
    response = HttpResponse(score_sheet(round_, villages), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="scores-{round_.period.code}-{round_.revision}.xlsx"'
    return response


@role_required(Role.COMMISSION_STAFF)
def round_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → preview (every change and every error, by row and column) → confirm."""
    round_ = _round(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None, sheet=_("Score sheet (xlsx)"))
    context = {"round": round_, "form": form}
    if request.method == "POST" and form.is_valid():
        build = lambda data, name: build_preview(round_, data, name)  # noqa: E731
        context.update(preview_upload(request, form, purpose=f"round-{round_.pk}", build=build))
    return render(request, "scoring/round_import.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def round_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    return confirm_upload(
        request,
        purpose=f"round-{round_.pk}",
        apply=lambda data, name: apply_import(round_, data, name, acting_user=request.user),
        back=reverse("scoring:round_import", args=[pk]),
        done=reverse("scoring:round", args=[pk]),
        success=lambda preview: _("%(count)s scores imported.") % {"count": len(preview.changes)},
    )


@role_required(*ROUND_READERS)
def entry_grid(request: HttpRequest, pk: int, township_code: str) -> HttpResponse:
    """A spreadsheet-like grid of one township of the round's county: villages × indicators, saved cell by
    cell (htmx) by the county's staff, read by the rest."""
    round_ = _round(request, pk)
    township = get_object_or_404(Township, district_id=round_.period.district_id, code=township_code)
    villages = list(selectors.round_village_queryset(round_).filter(township=township))
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme).select_related("category"))
    scores = {(s.village_id, s.indicator_id): s for s in Score.objects.filter(round=round_, village__in=villages)}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for (village_id, _indicator_id), score in scores.items():
        totals[village_id] += score.points
    # What other apps know beside an indicator (the register's venues beside MF2): one query per such one.
    notes = indicator_notes([indicator.code for indicator in indicators], villages, round_.period.year)
    rows = [
        {
            "village": village,
            "cells": [
                (indicator, scores.get((village.pk, indicator.pk)), notes.get(indicator.code, {}).get(village.pk, ""))
                for indicator in indicators
            ],
            "total": totals[village.pk],
            "grade": services.grade_for(totals[village.pk], round_.period.scheme),
        }
        for village in villages
    ]
    context = {
        "round": round_,
        "township": township,
        "indicators": indicators,
        "rows": rows,
        "editable": services.can_edit_scores(request.user, round_),
    }
    return render(request, "scoring/entry_grid.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def entry_cell(request: HttpRequest, pk: int, village_code: str, indicator_code: str) -> HttpResponse:
    """Save one cell; answers with the cell (and the row's total and grade, out of band)."""
    round_ = _round(request, pk)
    village = get_object_or_404(selectors.round_village_queryset(round_), code=village_code)
    indicator = get_object_or_404(Indicator, scheme=round_.period.scheme, code=indicator_code)
    form = ScoreCellForm(request.POST)
    valid = form.is_valid()
    score = services.current_score(round_, village, indicator)
    error = ""
    try:
        # Someone saved meanwhile: the editor sees that before anything else wrong with the entry.
        if services.score_is_stale(score, form.cleaned_data.get("version")):
            raise services.score_conflict(score, points=form.data.get("points", ""), reason=form.data.get("reason", ""))
        if valid:
            data = services.ScoreInput(
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                # The grid does not show the source: an edit keeps the score's own.
                source=form.cleaned_data["source"] or services.KEEP,
            )
            score = services.score_save(
                round_=round_,
                village=village,
                indicator=indicator,
                data=data,
                expected_version=form.cleaned_data["version"],
                acting_user=request.user,
            )
        else:
            error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    except ValidationError as refused:
        error = " ".join(refused.messages)
        if getattr(refused, "code", None) == "stale":
            # The cell shows the value saved meanwhile, with its version: the next save overwrites it
            # knowingly. What this editor typed is in the message.
            score = services.current_score(round_, village, indicator)
            form = None
    total = sum(Score.objects.filter(round=round_, village=village).values_list("points", flat=True), start=0)
    notes = indicator_notes([indicator.code], [village], round_.period.year)
    context = {
        "round": round_,
        "village": village,
        "indicator": indicator,
        "score": score,
        "form": form,
        "error": error,
        "total": total,
        "grade": services.grade_for(total, round_.period.scheme),
        "note": notes.get(indicator.code, {}).get(village.pk),
        "editable": True,
        "oob": True,
    }
    # 200 even with an error: htmx swaps the cell in, keeping what was typed and showing why.
    return render(request, "scoring/partials/entry_cell.html", context)
