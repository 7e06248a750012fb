"""Reads of the work plan, always in the user's scope: a county's staff, leaders and township secretaries
read their own county's plan, the city's roles every county's of the city; another county's plan, task
or file is 404, the same as a missing one."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, INDEX_ROLES
from villages.models import District, Township

from .models import PlanArea, PlanTask, ProgressEvidence, TaskProgress, WorkPlan

PLAN_READERS = INDEX_ROLES | CITY_ROLES
DUE_WITHIN_DAYS = 7  # the to-do lists tasks due this many days ahead, and the overdue


def plans_for(user: User) -> QuerySet[WorkPlan]:
    return scope_to_user(
        WorkPlan.objects.select_related("district"), user, roles=PLAN_READERS, district_field="district_id"
    )


def tasks_for(user: User) -> QuerySet[PlanTask]:
    return scope_to_user(
        PlanTask.objects.select_related("area__plan__district"),
        user,
        roles=PLAN_READERS,
        district_field="area__plan__district_id",
    )


def get_task_for(user: User, pk: int) -> PlanTask:
    """The task if the user may read it; 404 for missing and foreign alike."""
    return get_object_or_404(tasks_for(user).prefetch_related("townships"), pk=pk)


def get_area_for(user: User, pk: int) -> PlanArea:
    areas = scope_to_user(
        PlanArea.objects.select_related("plan__district"), user, roles=PLAN_READERS, district_field="plan__district_id"
    )
    return get_object_or_404(areas, pk=pk)


def evidence_for(user: User) -> QuerySet[ProgressEvidence]:
    return scope_to_user(
        ProgressEvidence.objects.all(),
        user,
        roles=PLAN_READERS,
        district_field="progress__task__area__plan__district_id",
    )


def counties_for(user: User) -> QuerySet[District]:
    """The counties whose plans the user reads: the own one, or each of the own city's (found through their
    townships, as scope_to_user scopes rows that belong to a county)."""
    townships = scope_to_user(Township.objects.all(), user, roles=PLAN_READERS, district_field="district_id")
    return District.objects.filter(pk__in=townships.values("district_id")).order_by("code")


def get_county_for(user: User, code: str) -> District:
    return get_object_or_404(counties_for(user), code=code)


@dataclass(frozen=True)
class PlanPage:
    """A county's plan of a year: its areas, each with its tasks (and their responsible townships)."""

    plan: WorkPlan
    areas: list[PlanArea]

    @property
    def tasks(self) -> list[PlanTask]:
        return [task for area in self.areas for task in area.tasks.all()]


def plan_of(county: District, year: int) -> PlanPage | None:
    """The county's plan of the year, three queries whatever its size: the plan, its areas, their tasks
    with their townships. The caller has checked the county is the user's to read."""
    plan = WorkPlan.objects.filter(district=county, year=year).first()
    if plan is None:
        return None
    tasks = PlanTask.objects.prefetch_related("townships").order_by("number")
    areas = plan.areas.prefetch_related(Prefetch("tasks", queryset=tasks)).order_by("position")
    return PlanPage(plan, list(areas))


def plan_years(county: District) -> list[int]:
    return list(WorkPlan.objects.filter(district=county).order_by("-year").values_list("year", flat=True))


def progress_of(task: PlanTask) -> list[TaskProgress]:
    """A task's progress reports, newest first, with their evidence and who reported them."""
    evidence = ProgressEvidence.objects.select_related("uploaded_by")
    reports = task.progress_reports.select_related("reported_by").prefetch_related(Prefetch("evidence", evidence))
    return list(reports)


def tasks_due(user: User, today: date) -> QuerySet[PlanTask]:
    """Tasks in the user's scope not done and due within DUE_WITHIN_DAYS or overdue, earliest first (the
    to-do page)."""
    soon = today + timedelta(days=DUE_WITHIN_DAYS)
    due = tasks_for(user).exclude(status=PlanTask.Status.DONE).filter(due_on__lte=soon)
    return due.order_by("due_on", "number")
