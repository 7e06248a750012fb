"""Yearly analysis reports (清廉指数分析报告): the staff-edited problems and suggestions, the batches that
build every township's report, and each built PDF kept as a version (never overwritten)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReportDraft(models.Model):  # 指出问题、提出建议（可编辑）
    """The problems and suggestions of one report, as staff edited them; a district report has no township."""

    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("problems and suggestions"))
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(_("edited at"), auto_now=True)
    history = HistoricalRecords(table_name="scoring_historicalreportdraft")

    class Meta:
        db_table = "scoring_reportdraft"
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        constraints = [
            models.UniqueConstraint(fields=["township", "year"], name="report_draft_once"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(township__isnull=True), name="district_report_draft_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township or '全区'} {self.year}"


class ReportBatch(models.Model):  # 批量生成
    year = models.PositiveSmallIntegerField(_("year"))
    total = models.PositiveIntegerField(_("reports"))
    failures = models.JSONField(_("failures"), default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    history = HistoricalRecords(table_name="scoring_historicalreportbatch")

    class Meta:
        db_table = "scoring_reportbatch"
        ordering = ["-requested_at"]
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")

    def __str__(self) -> str:
        return f"{self.year} ×{self.total}"


def report_path(version: "ReportVersion", filename: str) -> str:
    return f"reports/{version.year}/{filename}"


class ReportVersion(models.Model):  # 报告版本
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("version"))
    job_id = models.CharField(max_length=64, unique=True)  # a redelivered job finds its version here
    batch = models.ForeignKey(ReportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions")
    file = models.FileField(_("file"), upload_to=report_path)
    size = models.PositiveIntegerField(_("size"))
    round_label = models.CharField(_("index revision"), max_length=30)
    data_checksum = models.CharField(_("data checksum"), max_length=64)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)
    seconds = models.DecimalField(_("build seconds"), max_digits=7, decimal_places=2)
    history = HistoricalRecords(table_name="scoring_historicalreportversion")

    class Meta:
        db_table = "scoring_reportversion"
        ordering = ["-built_at", "-id"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [models.UniqueConstraint(fields=["township", "year", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.township or '全区'} {self.year} v{self.number}"
