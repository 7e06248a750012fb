"""Writes of the city's own work, each audited (core.services.audited_save: the history row becomes a
chained audit row): the city's staff set the year's 五个一 programme and its due dates and record their
督促检查 visits; a county's staff report their own county's steps. The daily job marks steps overdue."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.services import audited_save, require
from core.states import require_step, take
from core.uploads import store_evidence
from villages.models import City, District

from .models import (
    STEP_ORDER,
    CountyStep,
    Programme,
    Step,
    StepEvidence,
    SupervisionVisit,
    VisitProblem,
    reports_for_county,
)

PLAN_NEEDS_BOTH = _("The work plan needs both 《实施办法》 and 《考评标准》 uploaded before it can be completed.")
NEEDS_EVIDENCE = _("Upload the evidence of this step before completing it.")
DONE_IN_THE_FUTURE = _("The step cannot be done on a day still to come.")
DESCRIBE_PROGRESS = _("Say what has been done.")
NO_COUNTIES = _("The city has no counties: add them in the administration first.")
NOT_A_PLAN_DOCUMENT = _("Only the work plan has 《实施办法》 and 《考评标准》.")
SAY_WHAT_WAS_CHECKED = _("Say what was checked.")
DUE_BEFORE_VISIT = _("A problem's rectification is due after the visit.")
RECTIFIED_IN_THE_FUTURE = _("The rectification cannot be on a day still to come.")


def supervises(user: User, city_id: int | None) -> bool:
    """The city's staff set and supervise its counties' 五个一 (the city's leader reads only)."""
    return user.has_role(Role.CITY_STAFF) and city_id is not None and user.city_id == city_id


@transaction.atomic
def programme_create(*, city: City, year: int, due_dates: Mapping[str, date], acting_user: User) -> Programme:
    """The year's 五个一 for every county of the city, each step due on the date given for it; asked
    again, the counties added to the city since get their steps, the others keep theirs."""
    require(supervises(acting_user, city.pk))
    counties = list(District.objects.filter(city=city).order_by("code"))
    if not counties:
        raise ValidationError(NO_COUNTIES)
    programme = Programme.objects.select_for_update().filter(city=city, year=year).first()
    if programme is None:
        programme = audited_save(Programme(city=city, year=year, created_by=acting_user), acting_user)
    planned = set(programme.steps.values_list("district_id", "step"))
    for county in counties:
        for step in Step:
            if (county.pk, step.value) not in planned:
                county_step = CountyStep(
                    programme=programme,
                    district=county,
                    step=step,
                    position=STEP_ORDER[step],
                    due_on=due_dates[step.value],
                )
                audited_save(county_step, acting_user)
    return programme


@transaction.atomic
def due_date_set(*, step: CountyStep, due_on: date, acting_user: User) -> CountyStep:
    """The city's staff move a county's step's due date; a step no longer late stops being overdue."""
    step = CountyStep.objects.select_for_update().select_related("programme").get(pk=step.pk)
    require(supervises(acting_user, step.programme.city_id))
    step.due_on = due_on
    if step.overdue_since and not step.is_overdue():
        step.overdue_since = None
    return audited_save(step, acting_user)


def _locked(step: CountyStep) -> CountyStep:
    return CountyStep.objects.select_for_update().get(pk=step.pk)


@transaction.atomic
def evidence_attach(
    *, step: CountyStep, uploads: Iterable["UploadedFile[bytes]"], kind: str, acting_user: User
) -> list[StepEvidence]:
    """The county's staff upload evidence of their step; the work plan's 《实施办法》 and 《考评标准》 are
    documents of their own kind."""
    step = _locked(step)
    require(reports_for_county(acting_user, step.district_id))
    if kind != StepEvidence.Kind.DOCUMENT and not step.is_plan:
        raise ValidationError(NOT_A_PLAN_DOCUMENT)
    stored = []
    for upload in uploads:
        record = StepEvidence(step=step, kind=kind)
        store_evidence(record, upload, uploaded_by=acting_user)
        stored.append(record)
    return stored


@transaction.atomic
def progress_record(*, step: CountyStep, progress: str, acting_user: User) -> CountyStep:
    """进行中: the county's staff say what has been done so far."""
    step = _locked(step)
    require_step(acting_user, step.record_progress)
    if not progress.strip():
        raise ValidationError({"progress": DESCRIBE_PROGRESS})
    take(step.record_progress)
    step.progress = progress.strip()
    return audited_save(step, acting_user)


def completion_refused(step: CountyStep) -> str | None:
    """Why the step cannot be completed yet (evidence missing), or None."""
    kinds = set(step.evidence.values_list("kind", flat=True))
    if step.is_plan and not {StepEvidence.Kind.MEASURES, StepEvidence.Kind.STANDARDS} <= kinds:
        return str(PLAN_NEEDS_BOTH)
    if not kinds:
        return str(NEEDS_EVIDENCE)
    return None


@transaction.atomic
def step_complete(*, step: CountyStep, done_on: date, progress: str, acting_user: User) -> CountyStep:
    """已完成 on `done_on`, with the evidence uploaded (the work plan: its 《实施办法》 and 《考评标准》)."""
    step = _locked(step)
    require_step(acting_user, step.complete)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": DONE_IN_THE_FUTURE})
    if refused := completion_refused(step):
        raise ValidationError(refused, code="evidence")
    take(step.complete)
    step.done_on = done_on
    step.overdue_since = None
    if progress.strip():
        step.progress = progress.strip()
    return audited_save(step, acting_user)


@transaction.atomic
def visit_record(
    *,
    programme: Programme,
    district: District,
    visited_on: date,
    checked: str,
    problems: Iterable[Mapping[str, Any]],
    acting_user: User,
) -> SupervisionVisit:
    """督促检查: the city's staff visited a county of the city on a day, checked something, and found
    problems (each with its rectification due date)."""
    require(supervises(acting_user, programme.city_id) and district.city_id == programme.city_id)
    if not checked.strip():
        raise ValidationError({"checked": SAY_WHAT_WAS_CHECKED})
    problems = list(problems)
    if any(problem["due_on"] < visited_on for problem in problems):
        raise ValidationError(DUE_BEFORE_VISIT)
    visit = SupervisionVisit(
        programme=programme, district=district, visited_on=visited_on, checked=checked.strip(), recorded_by=acting_user
    )
    audited_save(visit, acting_user)
    for problem in problems:
        audited_save(
            VisitProblem(visit=visit, description=problem["description"], due_on=problem["due_on"]), acting_user
        )
    return visit


@transaction.atomic
def problem_rectified(*, problem: VisitProblem, rectified_on: date, acting_user: User) -> VisitProblem:
    """The city's staff confirm a problem they found rectified (销号), on a day."""
    problem = VisitProblem.objects.select_for_update().select_related("visit__programme").get(pk=problem.pk)
    require(supervises(acting_user, problem.visit.programme.city_id))
    if rectified_on > timezone.localdate():
        raise ValidationError({"rectified_on": RECTIFIED_IN_THE_FUTURE})
    problem.status = VisitProblem.Status.RECTIFIED
    problem.rectified_on = rectified_on
    return audited_save(problem, acting_user)


def overdue_mark(today: date | None = None) -> int:
    """Daily: steps not done past their due date are marked overdue from that date; done ones and those
    given a later date are cleared. Saved one by one, so that each reaches the history and the audit log.
    Returns how many were newly marked."""
    today = today or timezone.localdate()
    late = CountyStep.objects.filter(due_on__lt=today, overdue_since__isnull=True).exclude(
        status=CountyStep.Status.DONE
    )
    cleared = CountyStep.objects.filter(overdue_since__isnull=False).filter(
        Q(status=CountyStep.Status.DONE) | Q(due_on__gte=today)
    )
    marked = 0
    with transaction.atomic():
        for steps, overdue in ((late, True), (cleared, False)):
            for step in steps.select_for_update():
                step.overdue_since = step.due_on if overdue else None
                audited_save(step, None, clean=False)
                marked += overdue
    return marked
