"""The city's pages: the county comparison and its sheet, the 五个一 progress schedule and its sheet, a
county's programme, a step's page and actions, the city's 督促检查 visits.

The comparison and the schedule are the city's staff's and leader's (a county's people get 403); a
county's staff and leaders read their own county's programme (another county's is 404) and its staff
report its steps; the city's staff set due dates and record visits; the city's leader reads only. Every
rule is in cities.services; a refused step comes back as a form error, with what was typed kept."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
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
from core.params import year_in_path
from core.spreadsheets import xlsx_response
from core.uploads import evidence_response
from core.versioning import form_save

from . import exports, selectors, services
from .forms import (
    CompleteForm,
    DueDateForm,
    EvidenceForm,
    ProblemFormSet,
    ProgrammeForm,
    ProgressForm,
    RectifiedForm,
    VisitForm,
)
from .models import CountyStep, Programme, Step, reports_for_county

CITY = tuple(CITY_ROLES)
READERS = tuple(selectors.STEP_READERS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


# --- The county comparison ---------------------------------------------------------------------------


@role_required(*CITY)
def home(request: HttpRequest) -> HttpResponse:
    city, today = _user(request).city, timezone.localdate()
    return redirect("cities:comparison", year=selectors.latest_published_year(city, today) if city else today.year)


@role_required(*CITY)
def comparison(request: HttpRequest, year: int) -> HttpResponse:
    """The counties of the user's city side by side for a year, each figure with its city rank."""
    user = _user(request)
    context = {
        "year": year_in_path(year),
        "city": user.city,
        "years": selectors.comparison_years(user.city, timezone.localdate()) if user.city else [],
        "rows": [_comparison_row(line) for line in selectors.county_comparison(user.city, year)] if user.city else [],
        "columns": selectors.FIGURES,
    }
    return render(request, "cities/comparison.html", context)


def _shown(value: Decimal | int | None, change: bool) -> str:
    """A figure as the table shows it: — for none, a sign before a change (同比)."""
    if value is None:
        return "—"
    return f"{value:+}" if change and value else str(value)


def _comparison_row(line: selectors.CountyFigures) -> dict[str, Any]:
    cells = [
        {
            "column": column,
            "text": _shown(line.value(column.key), column.key.endswith("_change")),
            "ranked": column.higher_is_better is not None,
            "rank": line.rank(column.key),
        }
        for column in selectors.FIGURES
    ]
    return {"line": line, "cells": cells}


@role_required(*CITY)
def comparison_export(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    figures = selectors.county_comparison(user.city, year_in_path(year)) if user.city else []
    record_event(EventType.EXPORTED, request=request, data={"what": "county comparison", "year": year})
    return xlsx_response(exports.comparison_sheet(figures, year), f"county-comparison-{year}.xlsx")


# --- 五个一: the schedule (工作进度表) ---------------------------------------------------------------------


def _schedule_page(
    request: HttpRequest, year: int, form: ProgrammeForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    programme = selectors.programme_of(user.city, year)
    today = timezone.localdate()
    may_plan = services.supervises(user, user.city_id)
    context = {
        "year": year,
        "city": user.city,
        "programme": programme,
        "rows": selectors.schedule(programme, today) if programme else [],
        "steps": Step.choices,
        "today": today,
        "years": sorted({year, today.year, *selectors.programme_years(user)}, reverse=True),
        "form": (form or ProgrammeForm()) if may_plan else None,
        "missing": selectors.counties_without_steps(user.city, programme) if may_plan and user.city else [],
    }
    return render(request, "cities/schedule.html", context, status=status)


@role_required(*CITY)
def schedule_current(request: HttpRequest) -> HttpResponse:
    return redirect("cities:schedule", year=timezone.localdate().year)


@role_required(*CITY)
def schedule(request: HttpRequest, year: int) -> HttpResponse:
    return _schedule_page(request, year_in_path(year))


@require_POST
@role_required(Role.CITY_STAFF)
def programme_create(request: HttpRequest, year: int) -> HttpResponse:
    """One POST sets the year's 五个一 for every county of the city, with each step's due date."""
    user = _user(request)
    if user.city is None:
        raise Http404
    city = user.city
    form = ProgrammeForm(request.POST)
    status = form_save(
        form,
        save=lambda: services.programme_create(
            city=city, year=year_in_path(year), due_dates=form.due_dates, acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("The 五个一 of %(year)s are set for every county.") % {"year": year})
        return redirect("cities:schedule", year=year)
    return _schedule_page(request, year, form, status=status)


@role_required(*CITY)
def schedule_export(request: HttpRequest, year: int) -> HttpResponse:
    user = _user(request)
    programme = get_object_or_404(Programme, city_id=user.city_id, year=year_in_path(year))
    today = timezone.localdate()
    record_event(EventType.EXPORTED, request=request, target=programme, data={"what": "五个一 schedule"})
    return xlsx_response(
        exports.schedule_sheet(selectors.schedule(programme, today), year, today), f"five-steps-{year}.xlsx"
    )


# --- A county's programme and its steps ------------------------------------------------------------------


@role_required(*READERS)
def mine(request: HttpRequest) -> HttpResponse:
    """A county's staff and leaders: their county's latest programme (the city's roles: the schedule)."""
    user = _user(request)
    if user.has_role(*CITY_ROLES):
        return redirect("cities:schedule_current")
    years = selectors.programme_years(user)
    if years and user.district:
        return redirect("cities:county", year=years[0], county=user.district.code)
    return render(request, "cities/no_programme.html")


def _county_page(
    request: HttpRequest, year: int, code: str, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    county = selectors.county_programme(user, year_in_path(year), code)
    today = timezone.localdate()
    may_supervise = services.supervises(user, county.programme.city_id)
    forms = forms or {}
    context = {
        "county": county,
        "today": today,
        "may_supervise": may_supervise,
        "visit_form": forms.get("visit") or (VisitForm() if may_supervise else None),
        "problems": forms.get("problems") or (ProblemFormSet(prefix="problems") if may_supervise else None),
        "years": selectors.programme_years(user),
    }
    return render(request, "cities/county.html", context, status=status)


@role_required(*READERS)
def county(request: HttpRequest, year: int, county: str) -> HttpResponse:
    return _county_page(request, year, county)


@require_POST
@role_required(Role.CITY_STAFF)
def visit_new(request: HttpRequest, year: int, county: str) -> HttpResponse:
    """督促检查: the city's staff record a visit to the county and the problems found, each with its due date."""
    user = _user(request)
    programme = selectors.county_programme(user, year_in_path(year), county)
    form = VisitForm(request.POST)
    problems = ProblemFormSet(request.POST, prefix="problems")

    def save() -> None:
        if not problems.is_valid():
            raise ValidationError(_("Correct the problems below."))
        services.visit_record(
            programme=programme.programme,
            district=programme.district,
            visited_on=form.cleaned_data["visited_on"],
            checked=form.cleaned_data["checked"],
            problems=[problem.cleaned_data for problem in problems if problem.cleaned_data],
            acting_user=user,
        )

    status = form_save(form, save=save)
    if status is None:
        messages.success(request, _("The visit is recorded."))
        return redirect("cities:county", year=year, county=county)
    return _county_page(request, year, county, {"visit": form, "problems": problems}, status=status)


@require_POST
@role_required(Role.CITY_STAFF)
def problem_rectified(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    problem = selectors.get_problem_for(user, pk)
    form = RectifiedForm(request.POST)
    status = form_save(
        form,
        save=lambda: services.problem_rectified(
            problem=problem, rectified_on=form.cleaned_data["rectified_on"], acting_user=user
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(message) for errors in form.errors.values() for message in errors))
    return redirect("cities:county", year=problem.visit.programme.year, county=problem.visit.district.code)


def _step_forms(user: User, step: CountyStep) -> dict[str, Any]:
    """The forms the user may fill in on the step's page."""
    forms: dict[str, Any] = {}
    if services.supervises(user, step.programme.city_id):
        forms["due"] = DueDateForm(initial={"due_on": step.due_on})
    if reports_for_county(user, step.district_id):
        forms["evidence"] = EvidenceForm(plan=step.is_plan)
        if not step.is_done:
            forms["progress"] = ProgressForm(initial={"progress": step.progress})
            forms["complete"] = CompleteForm(initial={"done_on": timezone.localdate()})
    return forms


def _step_page(
    request: HttpRequest, step: CountyStep, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "step": step,
        "evidence": list(step.evidence.select_related("uploaded_by")),
        "today": timezone.localdate(),
        "forms": {**_step_forms(user, step), **(forms or {})},
        "refused": None if step.is_done else services.completion_refused(step),
    }
    return render(request, "cities/step.html", context, status=status)


@role_required(*READERS)
def step(request: HttpRequest, pk: int) -> HttpResponse:
    return _step_page(request, selectors.get_step_for(_user(request), pk))


def _progress(request: HttpRequest, step: CountyStep) -> tuple[Form, Callable[[Form], object]]:
    form = ProgressForm(request.POST)
    return form, lambda form: services.progress_record(
        step=step, progress=form.cleaned_data["progress"], acting_user=_user(request)
    )


def _evidence(request: HttpRequest, step: CountyStep) -> tuple[Form, Callable[[Form], object]]:
    form = EvidenceForm(request.POST, request.FILES, plan=step.is_plan)
    return form, lambda form: services.evidence_attach(
        step=step, uploads=form.cleaned_data["files"], kind=form.cleaned_data["kind"], acting_user=_user(request)
    )


def _complete(request: HttpRequest, step: CountyStep) -> tuple[Form, Callable[[Form], object]]:
    form = CompleteForm(request.POST)
    return form, lambda form: services.step_complete(
        step=step,
        done_on=form.cleaned_data["done_on"],
        progress=form.cleaned_data["progress"],
        acting_user=_user(request),
    )


# What a county's staff do on their step's page: 进行中, evidence, 已完成.
STEP_ACTIONS: dict[str, Callable[[HttpRequest, CountyStep], tuple[Form, Callable[[Form], object]]]] = {
    "progress": _progress,
    "evidence": _evidence,
    "complete": _complete,
}


@require_POST
@role_required(Role.COMMISSION_STAFF)
def step_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The county's staff act on their own county's step (another county's is 404)."""
    step = selectors.get_step_for(_user(request), pk)
    if action not in STEP_ACTIONS:
        raise Http404
    form, save = STEP_ACTIONS[action](request, step)
    status = form_save(form, save=lambda: save(form))
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("cities:step", pk=step.pk)
    step.refresh_from_db()
    return _step_page(request, step, {action: form}, status=status)


@require_POST
@role_required(Role.CITY_STAFF)
def step_due(request: HttpRequest, pk: int) -> HttpResponse:
    """The city's staff move a county's step's due date."""
    user = _user(request)
    step = selectors.get_step_for(user, pk)
    form = DueDateForm(request.POST)
    status = form_save(
        form, save=lambda: services.due_date_set(step=step, due_on=form.cleaned_data["due_on"], acting_user=user)
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("cities:step", pk=step.pk)
    return _step_page(request, step, {"due": form}, status=status)


@role_required(*READERS)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served to those who may read the county's steps (404 otherwise), as a download."""
    return evidence_response(request, get_object_or_404(selectors.evidence_for(_user(request)), pk=pk))
