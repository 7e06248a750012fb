"""The work plan's pages: a county's plan of a year (areas → tasks), its printable 任务清单 and its sheet,
a task's page with its progress reports and evidence, the forms to add and edit tasks and to report
progress.

A county's staff, leaders and township secretaries read their own county's plan, the city's roles every
county's of the city (another county's plan, task or file is 404); the county's staff copy the default
plan into a year and edit its tasks; they and the secretaries of a task's responsible townships report
its progress. Every rule is in workplan.services; a refused form comes back with what was typed kept."""

from functools import partial
from typing import Any, cast

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
from core.params import year_in_path
from core.spreadsheets import xlsx_response
from core.uploads import evidence_response
from core.versioning import form_save
from villages.models import District, Township

from . import exports, selectors, services
from .forms import ProgressForm, TaskForm
from .models import PlanArea, PlanTask

READERS = tuple(selectors.PLAN_READERS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


@role_required(*READERS)
def home(request: HttpRequest) -> HttpResponse:
    """This year's plan of the user's county (the city's roles: of the city's first county)."""
    county = selectors.counties_for(_user(request)).first()
    if county is None:
        raise Http404
    return redirect("workplan:plan", county=county.code, year=timezone.localdate().year)


def _plan_page(request: HttpRequest, county: str, year: int) -> tuple[District, selectors.PlanPage]:
    """The county's plan of the year if the user reads the county; 404 when it has none."""
    district = selectors.get_county_for(_user(request), county)
    page = selectors.plan_of(district, year_in_path(year))
    if page is None:
        raise Http404
    return district, page


@role_required(*READERS)
def plan(request: HttpRequest, county: str, year: int) -> HttpResponse:
    user, today = _user(request), timezone.localdate()
    district = selectors.get_county_for(user, county)
    context = {
        "county": district,
        "year": year_in_path(year),
        "page": selectors.plan_of(district, year),
        "today": today,
        "years": sorted({year, today.year, *selectors.plan_years(district)}, reverse=True),
        "counties": list(selectors.counties_for(user)) if user.has_role(*CITY_ROLES) else [],
        "may_plan": services.plans_for_county(user, district.pk),
    }
    return render(request, "workplan/plan.html", context)


@require_POST
@role_required(Role.COMMISSION_STAFF)
def plan_create(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """The year's plan, copied from the default for the staff to edit."""
    user = _user(request)
    district = selectors.get_county_for(user, county)
    try:
        services.plan_create(district=district, year=year_in_path(year), acting_user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The default plan is copied into %(year)s: edit its tasks.") % {"year": year})
    return redirect("workplan:plan", county=county, year=year)


@role_required(*READERS)
def plan_print(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """任务清单: every task on paper, with its units, deadline and status."""
    district, page = _plan_page(request, county, year)
    context = {"county": district, "page": page, "today": timezone.localdate()}
    return render(request, "workplan/print.html", context)


@role_required(*READERS)
def plan_export(request: HttpRequest, county: str, year: int) -> HttpResponse:
    _district, page = _plan_page(request, county, year)
    record_event(EventType.EXPORTED, request=request, target=page.plan, data={"what": "work plan tasks"})
    return xlsx_response(exports.task_list_sheet(page, timezone.localdate()), f"work-plan-{county}-{year}.xlsx")


def _townships(district_id: int) -> Any:
    return Township.objects.filter(district_id=district_id).order_by("code")


def _task_form_page(
    request: HttpRequest, form: TaskForm, area: PlanArea, task: PlanTask | None, status: int
) -> HttpResponse:
    return render(request, "workplan/task_form.html", {"form": form, "area": area, "task": task}, status=status)


@role_required(Role.COMMISSION_STAFF)
def task_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A task added to an area of the plan."""
    user = _user(request)
    area = selectors.get_area_for(user, pk)
    form = TaskForm(request.POST or None, townships=_townships(area.plan.district_id))
    if request.method != "POST":
        return _task_form_page(request, form, area, None, 200)
    created: list[PlanTask] = []
    status = form_save(
        form,
        save=lambda: created.append(services.task_create(area=area, text=_task_text(form), acting_user=user)),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("workplan:task", pk=created[0].pk)
    return _task_form_page(request, form, area, None, status)


def _task_text(form: TaskForm) -> services.TaskText:
    data = form.cleaned_data
    return services.TaskText(
        title=data["title"],
        lead_unit=data["lead_unit"],
        responsible_units=data["responsible_units"],
        townships=list(data["townships"]),
        due_on=data["due_on"],
    )


@role_required(Role.COMMISSION_STAFF)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's words, units and deadline; an edit against an older version is refused (409)."""
    user = _user(request)
    task = selectors.get_task_for(user, pk)
    townships = _townships(task.area.plan.district_id)
    if request.method != "POST":
        initial = {
            "version": task.version,
            "title": task.title,
            "lead_unit": task.lead_unit,
            "responsible_units": task.responsible_units,
            "townships": list(task.townships.all()),
            "due_on": task.due_on,
        }
        return _task_form_page(request, TaskForm(initial=initial, townships=townships), task.area, task, 200)
    form = TaskForm(request.POST, townships=townships)
    status = form_save(
        form,
        check=partial(services.task_check_version, task),
        save=lambda: services.task_update(
            task=task,
            version=form.cleaned_data["version"],
            text=_task_text(form),
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("workplan:task", pk=task.pk)
    return _task_form_page(request, form, task.area, task, status)


def _task_page(
    request: HttpRequest, task: PlanTask, form: ProgressForm | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    may_report = not task.is_done and services.reports_on(user, task)
    context = {
        "task": task,
        "reports": selectors.progress_of(task),
        "today": timezone.localdate(),
        # A refused report comes back with its error and what was typed, even on a task done meanwhile.
        "form": form or (ProgressForm() if may_report else None),
        "may_edit": services.plans_for_county(user, task.area.plan.district_id),
    }
    return render(request, "workplan/task.html", context, status=status)


@role_required(*READERS)
def task(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, selectors.get_task_for(_user(request), pk))


@require_POST
@role_required(Role.COMMISSION_STAFF, Role.TOWNSHIP_SECRETARY)
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """进展报送, with evidence; a responsible township's secretary reports too."""
    user = _user(request)
    task = selectors.get_task_for(user, pk)
    form = ProgressForm(request.POST, request.FILES)
    status = form_save(
        form,
        save=lambda: services.progress_record(
            task=task,
            note=form.cleaned_data["note"],
            done=form.cleaned_data["done"],
            uploads=form.cleaned_data["files"],
            acting_user=user,
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("workplan:task", pk=task.pk)
    task.refresh_from_db()
    return _task_page(request, task, form, status=status)


@role_required(*READERS)
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served to those who read the county's plan (404 otherwise), as a download."""
    return evidence_response(request, get_object_or_404(selectors.evidence_for(_user(request)), pk=pk))
