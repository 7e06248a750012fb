"""The yearly work plan (《实施意见》, DESIGN.md section 11): Luqiao's 《关于加快推进全区“清廉乡村”建设的实施
意见》 listed "4方面12项工作，落实牵头单位和责任单位". Per county and year, a plan of areas (方面), each of
tasks (工作任务) with a lead unit (牵头单位), responsible units (责任单位), a deadline, progress reports with
evidence, a status and the overdue mark of the daily job.

Units are free text as the commission writes them in the document (区纪委党风政风监督室, 区委组织部…),
because departments are named differently in each county and change with reorganisations; the townships
among the responsible units are also kept as links, since their discipline secretaries report progress
on those tasks and the link, not a name, decides who may."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.uploads import EvidenceFile


class WorkPlan(models.Model):  # 《实施意见》（区纪委，每个区县每年一份）
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["district__code", "-year"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="work_plan_once_per_county_and_year")]

    def __str__(self) -> str:
        return self.title


class PlanArea(models.Model):  # 方面（如：组织领导、监督执纪）
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("area"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("area of the plan")
        verbose_name_plural = _("areas of the plan")
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="plan_area_position_once")]

    def __str__(self) -> str:
        return self.name


class PlanTask(models.Model):  # 工作任务
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", pgettext_lazy("work plan", "not started")  # 未开始
        IN_PROGRESS = "in_progress", pgettext_lazy("work plan", "in progress")  # 进行中
        DONE = "done", pgettext_lazy("work plan", "done")  # 已完成

    area = models.ForeignKey(PlanArea, verbose_name=_("area"), on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))  # 第几项, counted through the whole plan
    title = models.TextField(_("task"), max_length=1000)
    lead_unit = models.CharField(_("lead unit"), max_length=200)  # 牵头单位
    responsible_units = models.CharField(_("responsible units"), max_length=500, blank=True)  # 责任单位
    townships = models.ManyToManyField(
        "villages.Township", verbose_name=_("responsible townships"), blank=True, related_name="+"
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # Set by the daily job (workplan.tasks.mark_overdue) from the deadline it missed; cleared when done.
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every edit increments it
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("work plan task")
        verbose_name_plural = _("work plan tasks")
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="plan_task_number_once_per_area"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="plan_task_done_on_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:40]}"

    @property
    def is_done(self) -> bool:
        return bool(self.status == self.Status.DONE)

    def is_overdue(self, today: date | None = None) -> bool:
        """Not done and past its deadline (pages compute it; the daily job stores overdue_since)."""
        return not self.is_done and self.due_on < (today or timezone.localdate())


class TaskProgress(models.Model):  # 进展报送
    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="progress_reports")
    note = models.TextField(_("progress"), max_length=4000)
    status = models.CharField(_("status after"), max_length=12, choices=PlanTask.Status.choices)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=~Q(status="not_started"), name="task_progress_moves_the_task_on")
        ]

    def __str__(self) -> str:
        return self.note[:40]


class ProgressEvidence(EvidenceFile):  # 进展佐证材料
    EVIDENCE_FOLDER = "work-plan-evidence"

    progress = models.ForeignKey(TaskProgress, on_delete=models.CASCADE, related_name="evidence")
    history = HistoricalRecords()
