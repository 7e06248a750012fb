"""Major decisions reported as they are made (乡镇重大事项决策结果即时上报, "五有一化", DESIGN.md section 13).

Shaoxing's townships report each major decision to the county commission within a few working days
(ReportingRule, data: 3 by default): what was decided and for how much, the rules it rests on (有规则), the
procedure followed (有程序: proposal, deliberation, vote, with the minutes as evidence), who monitors it
(有监控), its evaluation later (有测评), who answers if it goes wrong (有追究), and where it was made public
(公开化). The county's staff review each report; a late or incomplete report is flagged; a report marked
public has a summary on the public site.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import EvidenceFile

AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class ReportingRule(models.Model):  # 上报时限（工作日）：市级默认，各区县可另定
    district = models.OneToOneField(
        "villages.District",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the city-wide default."),
    )
    working_days = models.PositiveSmallIntegerField(
        _("report within (working days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        constraints = [
            # One city-wide default (no county) at most: NULLs are distinct in a plain unique constraint.
            models.UniqueConstraint(Coalesce("district", Value(0)), name="reporting_rule_one_default"),
        ]

    def __str__(self) -> str:
        return _("Report within %(days)s working days") % {"days": self.working_days}


class MajorDecision(models.Model):  # 重大事项决策结果上报
    # Who monitors a decision may be written as a person's name: kept out of the audit log.
    AUDIT_CONFIDENTIAL = frozenset({"monitor"})

    class Category(models.TextChoices):  # 三重一大
        DECISION = "decision", _("major policy decision")  # 重大决策
        APPOINTMENT = "appointment", _("appointment or removal of important cadres")  # 重要干部任免
        PROJECT = "project", _("major project")  # 重大项目安排
        FUNDS = "funds", _("use of a large sum")  # 大额资金使用

    class Status(models.TextChoices):
        REPORTED = "reported", _("awaiting review")
        RETURNED = "returned", _("returned to complete")
        ACCEPTED = "accepted", _("reviewed")

    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))  # of decided_on
    number = models.PositiveIntegerField(_("number"))  # the township's report number, counted per year
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **AMOUNT)
    decided_on = models.DateField(_("decided on"))
    due_on = models.DateField(_("report due on"))  # decided_on + the rule's working days, set on reporting
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    late = models.BooleanField(_("reported late"), default=False)  # reported after due_on (set on reporting)
    # 有规则
    rules_basis = models.TextField(_("rules it rests on"), blank=True)
    # 有程序
    proposal = models.TextField(_("proposal"), blank=True)  # 提议
    deliberation = models.TextField(_("deliberation"), blank=True)  # 酝酿论证、征求意见
    vote = models.TextField(_("vote"), blank=True)  # 会议表决：到会人数、表决结果
    # 有监控
    monitor = models.CharField(_("who monitors it"), max_length=200, blank=True)
    # 有测评 (later: the evaluation of how it turned out)
    evaluation = models.TextField(_("evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    # 有追究
    accountability = models.TextField(_("accountability if it goes wrong"), blank=True)
    # 公开化
    made_public = models.BooleanField(_("made public"), default=False)
    public_where = models.CharField(_("where it was made public"), max_length=200, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    review_opinion = models.TextField(_("review opinion"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every change increments it
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("major decision report")
        verbose_name_plural = _("major decision reports")
        constraints = [
            models.UniqueConstraint(fields=["township", "year", "number"], name="major_decision_number_once"),
            models.CheckConstraint(
                condition=~Q(made_public=True) | (~Q(public_where="") & ~Q(public_summary="")),
                name="major_decision_public_says_where_and_what",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("decided_on")), name="major_decision_due_after"),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.decided_on} {self.subject}"


class DecisionMinutes(EvidenceFile):  # 会议记录等程序佐证
    EVIDENCE_FOLDER = "decision-minutes"

    decision = models.ForeignKey(
        MajorDecision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="minutes"
    )
    history = HistoricalRecords()

    class Meta(EvidenceFile.Meta):
        pass
