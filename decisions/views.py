"""The staff's pages of 五有一化 reporting: a county's reports of a year (flagged late, incomplete,
evaluation due, not made public), the figures per township and the year's sheet; a report's page with its
minutes, evaluation and review; the forms to report, edit, evaluate and review, and the county's deadline.

A township's secretary reads and writes the own township's reports only; a county's staff review their
county's, its leaders read them, the city's roles read every county's of the city; anything else is 404.
Every rule is in decisions.services; a refused form comes back with what was typed kept."""

from functools import partial
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import CITY_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core import params
from core.params import year_in_path
from core.spreadsheets import xlsx_response
from core.uploads import evidence_response
from core.versioning import form_save
from villages.models import Township

from . import exports, selectors, services
from .forms import DecisionForm, EvaluationForm, ReviewForm, RuleForm
from .models import MajorDecision

READERS = tuple(selectors.READERS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


@role_required(*READERS)
def home(request: HttpRequest) -> HttpResponse:
    """This year's reports of the user's county (the city's roles: of the city's first county)."""
    county = selectors.counties_for(_user(request)).first()
    if county is None:
        raise Http404
    return redirect("decisions:list", county=county.code, year=timezone.localdate().year)


@role_required(*READERS)
def decision_list(request: HttpRequest, county: str, year: int) -> HttpResponse:
    user, today = _user(request), timezone.localdate()
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    townships = list(selectors.townships_for(user, district))
    rows = selectors.decisions_of_year(user, district, year)
    township = next((item for item in townships if item.code == params.text(request.GET.get("township"))), None)
    if township:
        rows = rows.filter(township=township)
    status = params.text(request.GET.get("status"))
    if status in MajorDecision.Status.values:
        rows = rows.filter(status=status)
    context = {
        "county": district,
        "year": year,
        "years": sorted({year, today.year, *selectors.decision_years(user, district)}, reverse=True),
        "counties": list(selectors.counties_for(user)) if user.has_role(*CITY_ROLES) else [],
        "townships": townships,
        "township": township,
        "status": status,
        "statuses": MajorDecision.Status.choices,
        "rows": selectors.with_flags(rows, today),
        "working_days": selectors.working_days(district),
        "reporting": [item for item in townships if services.reports_for_township(user, item.pk)],
        "may_set_rule": services.reviews_for_county(user, district.pk),
    }
    return render(request, "decisions/list.html", context)


@role_required(*READERS)
def figures(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """Per township: reports, late, incomplete, returned, made public and the amount decided on."""
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    lines = selectors.figures(user, district, year, timezone.localdate())
    context = {
        "county": district,
        "year": year,
        "lines": lines,
        "total": {
            "reports": sum(line.reports for line in lines),
            "late": sum(line.late for line in lines),
            "incomplete": sum(line.incomplete for line in lines),
            "returned": sum(line.returned for line in lines),
            "made_public": sum(line.made_public for line in lines),
            "amount": sum((line.amount for line in lines), start=exports.ZERO),
        },
    }
    return render(request, "decisions/figures.html", context)


@role_required(*READERS)
def export(request: HttpRequest, county: str, year: int) -> HttpResponse:
    user = _user(request)
    district = selectors.get_county_for(user, county)
    year = year_in_path(year)
    rows = selectors.with_flags(selectors.decisions_of_year(user, district, year), timezone.localdate())
    record_event(EventType.EXPORTED, request=request, target=district, data={"what": "major decision reports"})
    return xlsx_response(exports.decisions_sheet(rows, year), f"major-decisions-{county}-{year}.xlsx")


def _form_page(
    request: HttpRequest, form: DecisionForm, township: Township, decision: MajorDecision | None, status: int
) -> HttpResponse:
    context = {
        "form": form,
        "township": township,
        "decision": decision,
        "working_days": services.working_days_of(township.district_id),
    }
    return render(request, "decisions/form.html", context, status=status)


@role_required(Role.TOWNSHIP_SECRETARY)
def decision_new(request: HttpRequest, township_code: str) -> HttpResponse:
    """A decision reported by the township's own secretary (another township's: 404)."""
    user = _user(request)
    township = get_object_or_404(Township, code=township_code)
    if not services.reports_for_township(user, township.pk):
        raise Http404
    form = DecisionForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _form_page(request, form, township, None, 200)
    made: list[MajorDecision] = []
    status = form_save(
        form,
        save=lambda: made.append(
            services.decision_report(
                township=township, text=form.text(), minutes=form.cleaned_data["minutes"], acting_user=user
            )
        ),
    )
    if status is None:
        if made[0].late:
            messages.warning(request, _("Reported, late: it was due on %(date)s.") % {"date": made[0].due_on})
        else:
            messages.success(request, _("Reported."))
        return redirect("decisions:decision", pk=made[0].pk)
    return _form_page(request, form, township, None, status)


@role_required(Role.TOWNSHIP_SECRETARY)
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The own secretary corrects or completes a report awaiting review or returned; a form filled in
    against an older version is refused (409) with what was typed kept."""
    user = _user(request)
    decision = selectors.get_decision_for(user, pk)
    if not services.can_edit(user, decision):
        messages.error(request, _("This report has been reviewed: it is no longer edited."))
        return redirect("decisions:decision", pk=decision.pk)
    if request.method != "POST":
        form = DecisionForm(initial=DecisionForm.initial_of(decision))
        return _form_page(request, form, decision.township, decision, 200)
    form = DecisionForm(request.POST, request.FILES)
    status = form_save(
        form,
        check=partial(services.decision_check_version, decision),
        save=lambda: services.decision_update(
            decision=decision,
            version=form.cleaned_data["version"],
            text=form.text(),
            minutes=form.cleaned_data["minutes"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("decisions:decision", pk=decision.pk)
    return _form_page(request, form, decision.township, decision, status)


def _detail_page(
    request: HttpRequest,
    decision: MajorDecision,
    *,
    evaluation_form: EvaluationForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    may_evaluate = services.can_evaluate(user, decision)
    may_review = services.can_review(user, decision)
    evaluation_initial = {
        "version": decision.version,
        "evaluation": decision.evaluation,
        "evaluated_on": decision.evaluated_on or timezone.localdate(),
    }
    context = {
        "decision": decision,
        "flags": services.flags_of(decision, timezone.localdate()),
        "minutes": selectors.minutes_of(decision),
        "may_edit": services.can_edit(user, decision),
        "evaluation_form": evaluation_form or (EvaluationForm(initial=evaluation_initial) if may_evaluate else None),
        "review_form": review_form or (ReviewForm(initial={"version": decision.version}) if may_review else None),
    }
    return render(request, "decisions/decision.html", context, status=status)


@role_required(*READERS)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_decision_for(_user(request), pk))


@require_POST
@role_required(Role.TOWNSHIP_SECRETARY)
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """有测评, added later by the own secretary."""
    user = _user(request)
    decision = selectors.get_decision_for(user, pk)
    form = EvaluationForm(request.POST)
    status = form_save(
        form,
        check=partial(services.decision_check_version, decision),
        save=lambda: services.decision_evaluate(
            decision=decision,
            version=form.cleaned_data["version"],
            evaluation=form.cleaned_data["evaluation"],
            evaluated_on=form.cleaned_data["evaluated_on"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("decisions:decision", pk=decision.pk)
    return _detail_page(request, selectors.get_decision_for(user, pk), evaluation_form=form, status=status)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The county's staff accept the report or return it to be completed."""
    user = _user(request)
    decision = selectors.get_decision_for(user, pk)
    form = ReviewForm(request.POST)
    status = form_save(
        form,
        check=partial(services.decision_check_version, decision),
        save=lambda: services.decision_review(
            decision=decision,
            version=form.cleaned_data["version"],
            accept=form.cleaned_data["outcome"] == ReviewForm.ACCEPT,
            opinion=form.cleaned_data["opinion"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("decisions:decision", pk=decision.pk)
    return _detail_page(request, selectors.get_decision_for(user, pk), review_form=form, status=status)


@role_required(*READERS)
def minutes(request: HttpRequest, pk: int) -> FileResponse:
    """Minutes are served to those who read the report (404 otherwise), as a download."""
    return evidence_response(request, get_object_or_404(selectors.minutes_for(_user(request)), pk=pk))


@role_required(Role.COMMISSION_STAFF)
def rule(request: HttpRequest, county: str) -> HttpResponse:
    """The county's own deadline, in working days after the decision."""
    user = _user(request)
    district = selectors.get_county_for(user, county)
    if not services.reviews_for_county(user, district.pk):
        raise Http404
    form = RuleForm(request.POST or None, initial={"working_days": selectors.working_days(district)})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_set(district=district, working_days=form.cleaned_data["working_days"], acting_user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("decisions:list", county=district.code, year=timezone.localdate().year)
    context = {"form": form, "county": district, "own": selectors.county_rule(district)}
    return render(request, "decisions/rule.html", context, status=400 if form.errors else 200)
