"""Yearly analysis reports (清廉指数分析报告): the staff-edited problems and suggestions, the batches that
build every township's report of a county, and each built PDF kept as a version (never overwritten);
the city's yearly comparison of its counties (区县比较报告), built the same way and kept the same way.

Every report belongs to a county (区/县, "district"): a township's report and the county's summary are
read and built inside their county only. The city's report belongs to the city."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class ReportDraft(models.Model):  # 指出问题、提出建议（可编辑）
    """The problems and suggestions of one report, as staff edited them; a county's summary report has no
    township."""

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
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
                fields=["district", "year"], condition=Q(township__isnull=True), name="district_report_draft_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township or self.district} {self.year}"


class ReportBatch(models.Model):  # 批量生成
    """Every report of one county and year, asked for at once; its progress is its versions."""

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
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
        return f"{self.district} {self.year} ×{self.total}"


def report_path(version: "BuiltReport", filename: str) -> str:
    return f"reports/{version.year}/{filename}"


class BuiltReport(models.Model):
    """What every built PDF keeps: its number among the versions of the same report, the job that built
    it (a redelivered job finds its version by it), the file, the checksum of the data it was built from,
    who asked for it, when, and how long it took."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("version"))
    job_id = models.CharField(max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to=report_path)
    size = models.PositiveIntegerField(_("size"))
    data_checksum = models.CharField(_("data checksum"), max_length=64)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)
    seconds = models.DecimalField(_("build seconds"), max_digits=7, decimal_places=2)

    class Meta:
        abstract = True
        ordering = ["-built_at", "-id"]


class ReportVersion(BuiltReport):  # 报告版本
    """A township's report, or (no township) its county's summary."""

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), null=True, blank=True, on_delete=models.PROTECT
    )
    batch = models.ForeignKey(ReportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="versions")
    round_label = models.CharField(_("index revision"), max_length=30)
    history = HistoricalRecords(table_name="scoring_historicalreportversion")

    class Meta(BuiltReport.Meta):
        db_table = "scoring_reportversion"
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "number"], name="report_version_unique"),
            models.UniqueConstraint(
                fields=["district", "year", "number"],
                condition=Q(township__isnull=True),
                name="district_report_version_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township or self.district} {self.year} v{self.number}"


class CityReportVersion(BuiltReport):  # 市纪委年度区县比较报告
    """The city's yearly comparison of its counties, one version per build."""

    city = models.ForeignKey(
        "villages.City", verbose_name=pgettext_lazy("unit", "city"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta(BuiltReport.Meta):
        verbose_name = _("city report version")
        verbose_name_plural = _("city report versions")
        constraints = [models.UniqueConstraint(fields=["city", "year", "number"], name="city_report_version_unique")]

    def __str__(self) -> str:
        return f"{self.city} {self.year} v{self.number}"
