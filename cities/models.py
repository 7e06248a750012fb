"""The city's own work (DESIGN.md section 12): the 五个一 each county carries out in a year, set and
supervised by the city's commission, as Shaoxing asked of its counties (绍兴“评星晋级”“五个一”):

一次专题汇报, 一次调查研究, 一个工作方案 (《实施办法》 and 《考评标准》), 一个动员会议, 一次督促检查.

A programme (五个一工作安排) is a city's year: one step per county and kind, each with its due date set by
the city's staff; a county's staff report their county's steps (in progress, done on a date, with
evidence); the city's staff record their 督促检查 visits to a county and the problems found there, each
with a rectification due date. The progress schedule (工作进度表) is the counties × the five steps.
"""

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.uploads import EvidenceFile

if TYPE_CHECKING:
    from accounts.models import User


class Step(models.TextChoices):  # 五个一, in their order
    REPORT = "report", _("thematic report (专题汇报)")
    SURVEY = "survey", _("survey (调查研究)")
    PLAN = "plan", _("work plan (工作方案)")
    MOBILISATION = "mobilisation", _("mobilisation meeting (动员会议)")
    CHECK = "check", _("supervision check (督促检查)")


STEP_ORDER = {step: position for position, step in enumerate(Step.values, start=1)}


class Programme(models.Model):  # 五个一工作安排（市纪委，每年一份，覆盖全市各区县）
    city = models.ForeignKey(
        "villages.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("五个一 programme")
        verbose_name_plural = _("五个一 programmes")
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="programme_once_per_city_and_year")]

    def __str__(self) -> str:
        return _("%(city)s 五个一 %(year)s") % {"city": self.city, "year": self.year}


class CountyStep(models.Model):  # 一个区县某年的一项“五个一”
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("five steps", "not started")  # 未开始
        IN_PROGRESS = "in_progress", pgettext_lazy("five steps", "in progress")  # 进行中
        DONE = "done", pgettext_lazy("five steps", "done")  # 已完成

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="steps"
    )
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("step"), max_length=12, choices=Step.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    due_on = models.DateField(_("due on"))
    status = FSMField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED, protected=False)
    progress = models.TextField(_("what was done"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Set by the daily job (cities.tasks.mark_overdue) from the due date it missed; cleared when done.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "district__code", "position"]
        verbose_name = _("五个一 step")
        verbose_name_plural = _("五个一 steps")
        constraints = [
            models.UniqueConstraint(fields=["programme", "district", "step"], name="county_step_once"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="county_step_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.get_step_display()}"

    @property
    def is_done(self) -> bool:
        return bool(self.status == self.Status.DONE)

    def is_overdue(self, today: date | None = None) -> bool:
        """Not done and past its due date (the page computes it; the daily job stores overdue_since)."""
        return not self.is_done and self.due_on < (today or timezone.localdate())

    @property
    def is_plan(self) -> bool:
        return self.step == Step.PLAN

    # The steps of a step (core.states): the county's own staff record progress and complete it.
    @transition(
        field=status,
        source=[Status.NOT_STARTED, Status.IN_PROGRESS],
        target=Status.IN_PROGRESS,
        permission=lambda s, u: reports_for_county(u, s.district_id),
    )
    def record_progress(self) -> None:
        """进行中."""

    @transition(
        field=status,
        source=[Status.NOT_STARTED, Status.IN_PROGRESS],
        target=Status.DONE,
        permission=lambda s, u: reports_for_county(u, s.district_id),
    )
    def complete(self) -> None:
        """已完成."""


def reports_for_county(user: "User", district_id: int) -> bool:
    """A county's staff report their own county's 五个一 (another county's staff never)."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


class StepEvidence(EvidenceFile):  # 五个一佐证材料（工作方案：《实施办法》《考评标准》）
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("evidence")
        MEASURES = "measures", _("《实施办法》 implementation measures")
        STANDARDS = "standards", _("《考评标准》 assessment standards")

    EVIDENCE_FOLDER = "five-steps-evidence"

    step = models.ForeignKey(CountyStep, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("document"), max_length=10, choices=Kind.choices, default=Kind.DOCUMENT)
    history = HistoricalRecords()


class SupervisionVisit(models.Model):  # 市纪委督促检查（到某区县）
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="visits"
    )
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    checked = models.TextField(_("what was checked"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")

    def __str__(self) -> str:
        return f"{self.district} {self.visited_on}"


class VisitProblem(models.Model):  # 督查发现的问题及整改
    class Status(models.TextChoices):
        OPEN = "open", _("to be rectified")  # 待整改
        RECTIFIED = "rectified", _("rectified")  # 已整改

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField(_("problem"))
    due_on = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("problem found")
        verbose_name_plural = _("problems found")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="rectified", rectified_on__isnull=False)
                | (~Q(status="rectified") & Q(rectified_on__isnull=True)),
                name="visit_problem_rectified_on_iff_rectified",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def clean(self) -> None:
        if self.due_on and self.visit_id and self.due_on < self.visit.visited_on:
            raise ValidationError({"due_on": _("A problem's rectification is due after the visit.")})
        if self.rectified_on and self.visit_id and self.rectified_on < self.visit.visited_on:
            raise ValidationError({"rectified_on": _("A problem is rectified after the visit.")})
