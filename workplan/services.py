"""Writes of the work plan, each audited (core.services.audited_save: the history row becomes a chained
audit row): a county's staff copy the default plan into a year and edit its tasks; they, and the
secretaries of the townships responsible for a task, report its progress with evidence. The daily job
marks tasks overdue."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from audit.models import EventType
from audit.services import record_event
from core.services import audited_save, require, versioned_change
from core.uploads import store_evidence
from core.versioning import check_version
from villages.models import District, Township

from .models import PlanArea, PlanTask, ProgressEvidence, TaskProgress, WorkPlan
from .standard import STANDARD_PLAN, TITLE

PLAN_EXISTS = _("This year's work plan exists already.")
TOWNSHIP_OF_ANOTHER_COUNTY = _("A responsible township must be one of the county's.")
TASK_DONE = _("This task is done: no more progress is reported on it.")
SAY_WHAT_WAS_DONE = _("Say what has been done.")


def plans_for_county(user: User, district_id: int) -> bool:
    """A county's staff make and edit their own county's plan (leaders read, another county never)."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


def reports_on(user: User, task: PlanTask) -> bool:
    """Progress on a task is reported by the county's staff and by the secretaries of the townships among
    its responsible units. `task.townships` is read from a prefetch when the page made one."""
    if plans_for_county(user, task.area.plan.district_id):
        return True
    return user.has_role(Role.TOWNSHIP_SECRETARY) and any(
        township.pk == user.township_id for township in task.townships.all()
    )


def _check_townships(district_id: int, townships: Iterable[Township]) -> list[Township]:
    townships = list(townships)
    if any(township.district_id != district_id for township in townships):
        raise ValidationError({"townships": TOWNSHIP_OF_ANOTHER_COUNTY})
    return townships


@transaction.atomic
def plan_create(*, district: District, year: int, acting_user: User) -> WorkPlan:
    """The year's plan as a copy of the default (workplan.standard), every task not started, for the staff
    to edit; each task due that many days into the year, the townships of 各镇（街道） linked."""
    require(plans_for_county(acting_user, district.pk))
    if WorkPlan.objects.select_for_update().filter(district=district, year=year).exists():
        raise ValidationError(PLAN_EXISTS)
    plan = audited_save(
        WorkPlan(district=district, year=year, title=TITLE % {"year": year}, created_by=acting_user), acting_user
    )
    townships = list(Township.objects.filter(district=district))
    new_year, number = date(year, 1, 1), 0
    for position, (name, standard_tasks) in enumerate(STANDARD_PLAN, start=1):
        area = audited_save(PlanArea(plan=plan, position=position, name=name), acting_user)
        for standard in standard_tasks:
            number += 1
            _task_add(
                PlanTask(
                    area=area,
                    number=number,
                    title=standard.title,
                    lead_unit=standard.lead_unit,
                    responsible_units=standard.responsible_units,
                    due_on=new_year + timedelta(days=standard.due_after_days),
                ),
                townships if standard.townships else [],
                acting_user,
            )
    return plan


def _task_add(task: PlanTask, townships: list[Township], acting_user: User) -> PlanTask:
    audited_save(task, acting_user)
    _set_townships(task, townships, acting_user)
    return task


def _township_names(townships: Iterable[Township]) -> list[str]:
    return [f"{township.code} {township.name}" for township in sorted(townships, key=lambda township: township.code)]


def _set_townships(task: PlanTask, townships: list[Township], acting_user: User) -> None:
    """The task's responsible townships become `townships`. The history of a task does not follow its
    many-to-many links, so a change of them is written to the audit log here, in the shape of the
    history's own rows (a field's before and after), by code and name; no change, no row."""
    before = _township_names(task.townships.all())
    after = _township_names(townships)
    if before == after:
        return
    task.townships.set(townships)
    record_event(
        EventType.UPDATED,
        actor=acting_user,
        target=task,
        data={"changes": {"townships": {"before": before, "after": after}}},
    )


@dataclass(frozen=True)
class TaskText:
    """What the staff write of a task: its words, its units (牵头单位, 责任单位 and the townships among
    them) and its deadline."""

    title: str
    lead_unit: str
    responsible_units: str
    townships: list[Township]
    due_on: date

    def fields(self) -> dict[str, Any]:
        return {"title": self.title, "lead_unit": self.lead_unit, "responsible_units": self.responsible_units}


@transaction.atomic
def task_create(*, area: PlanArea, text: TaskText, acting_user: User) -> PlanTask:
    """A task added to an area, numbered after the plan's last."""
    plan = WorkPlan.objects.select_for_update().get(pk=area.plan_id)
    require(plans_for_county(acting_user, plan.district_id))
    linked = _check_townships(plan.district_id, text.townships)
    last = PlanTask.objects.filter(area__plan=plan).order_by("-number").values_list("number", flat=True).first()
    task = PlanTask(area=area, number=(last or 0) + 1, due_on=text.due_on, **text.fields())
    return _task_add(task, linked, acting_user)


def task_state(task: PlanTask) -> str:
    """The task as it stands now, for the conflict message of a stale edit."""
    return f"“{task.title}”，{task.lead_unit}，{task.due_on:%Y-%m-%d}"


def task_check_version(task: PlanTask, version: int | None) -> None:
    """An edit filled in against an older version of the task is refused before anything else."""
    check_version(task, version, what=str(_("task")), state=lambda: task_state(task))


@transaction.atomic
def task_update(*, task: PlanTask, version: int | None, text: TaskText, acting_user: User) -> PlanTask:
    """The staff edit a task; a task given a later deadline stops being overdue."""
    task = PlanTask.objects.select_for_update().select_related("area__plan").get(pk=task.pk)
    require(plans_for_county(acting_user, task.area.plan.district_id))
    task_check_version(task, version)
    linked = _check_townships(task.area.plan.district_id, text.townships)
    overdue_since = task.overdue_since if text.due_on < timezone.localdate() else None
    task = versioned_change(task, acting_user, due_on=text.due_on, overdue_since=overdue_since, **text.fields())
    _set_townships(task, linked, acting_user)
    return task


@transaction.atomic
def progress_record(
    *, task: PlanTask, note: str, done: bool, uploads: Iterable["UploadedFile[bytes]"], acting_user: User
) -> TaskProgress:
    """进展报送: what has been done, with evidence; the task is then 进行中, or 已完成 today when `done`."""
    task = PlanTask.objects.select_for_update().select_related("area__plan").get(pk=task.pk)
    require(reports_on(acting_user, task))
    if task.is_done:
        raise ValidationError(TASK_DONE)
    if not note.strip():
        raise ValidationError({"note": SAY_WHAT_WAS_DONE})
    task.status = PlanTask.Status.DONE if done else PlanTask.Status.IN_PROGRESS
    if done:
        task.done_on, task.overdue_since = timezone.localdate(), None
    audited_save(task, acting_user)
    progress = audited_save(
        TaskProgress(task=task, note=note.strip(), status=task.status, reported_by=acting_user), acting_user
    )
    for upload in uploads:
        store_evidence(ProgressEvidence(progress=progress), upload, uploaded_by=acting_user)
    return progress


def overdue_mark(today: date | None = None) -> int:
    """Daily: tasks not done past their deadline are marked overdue from it; those done or given a later
    deadline are cleared. Saved one by one, so that each reaches the history and the audit log. Returns
    how many were newly marked."""
    today = today or timezone.localdate()
    late = PlanTask.objects.filter(due_on__lt=today, overdue_since__isnull=True).exclude(status=PlanTask.Status.DONE)
    cleared = PlanTask.objects.filter(overdue_since__isnull=False).filter(
        Q(status=PlanTask.Status.DONE) | Q(due_on__gte=today)
    )
    with transaction.atomic():
        marked = list(late.select_for_update())
        for task in marked:
            task.overdue_since = task.due_on
            audited_save(task, None, clean=False)
        for task in cleared.select_for_update():
            task.overdue_since = None
            audited_save(task, None, clean=False)
    return len(marked)
