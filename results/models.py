"""The use of results (结果运用, DESIGN.md section 13): what a village's star level and index grade count for.

Shaoxing calls it "这个关键": the stars are tied to the 岗位目标责任制 and 党风廉政建设责任制 assessments
(考核加减分), to 评先评优 (a 1–2 star or C-grade village is not eligible: EligibilityRule, data), and to
project funds; 示范村 are chosen from 4–5 star villages, approved by the city or the province and rewarded,
and lose the title when the village loses its fourth star; member departments file their policies, awards,
funds and projects with the leading group's office for its opinion (备案).

Departments have no accounts: the office's staff record what a department filed and the office's opinion.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scoring.models import Grade

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class MemberDepartment(models.Model):  # 成员单位（组织部、民政局、财政局、农办、农业农村局……）
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("member department")
        verbose_name_plural = _("member departments")

    def __str__(self) -> str:
        return self.name


class EligibilityRule(models.Model):  # 评先评优资格规则（市级默认，各区县可另定）
    """Which villages may be put forward for 评先评优 in a year: at least `min_stars` current stars and an
    index grade no lower than `lowest_grade` in the year's published index. The city-wide default has no
    county; a county's own rule replaces it for its villages."""

    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "villages.District",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the city-wide default of the year."),
    )
    min_stars = models.PositiveSmallIntegerField(
        _("fewest stars"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    lowest_grade = models.CharField(_("lowest index grade"), max_length=1, choices=Grade.choices, default=Grade.B)
    unrated_eligible = models.BooleanField(
        _("villages without a star rating are eligible"),
        default=False,
        help_text=_("A village not rated that year (or without a published index) is otherwise not eligible."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="eligibility_rule_one_per_county_and_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(district__isnull=True), name="eligibility_rule_one_default_per_year"
            ),
        ]

    def __str__(self) -> str:
        return _("Eligibility rule %(year)s") % {"year": self.year}


class Assessment(models.TextChoices):  # 计入的考核
    POST_TARGETS = "post_targets", _("post target responsibility assessment")  # 岗位目标责任制考核
    CLEAN_GOVERNANCE = "clean_governance", _("party conduct and clean governance responsibility assessment")
    OTHER = "other", _("other assessment")


class AssessmentPoints(models.Model):  # 考核加减分
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    assessment = models.CharField(_("assessment it counts in"), max_length=20, choices=Assessment.choices)
    points = models.DecimalField(
        _("points added (negative: deducted)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
    )
    basis = models.CharField(_("basis"), max_length=100)  # the stars and grade it rests on, written when recorded
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every edit increments it
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "village__code", "assessment"]
        verbose_name = _("assessment points")
        verbose_name_plural = _("assessment points")
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "assessment"],
                name="assessment_points_once_per_assessment",
                violation_error_message=_("The village has points in this assessment of the year already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.village} {self.get_assessment_display()} {self.points:+}"


class ProjectFund(models.Model):  # 项目资金（与星级挂钩）
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    department = models.ForeignKey(
        MemberDepartment, verbose_name=_("department"), on_delete=models.PROTECT, related_name="funds"
    )
    project = models.CharField(_("project"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    decided_on = models.DateField(_("decided on"))
    conditions = models.TextField(_("conditions"), blank=True)  # e.g. 限四星级以上村
    basis = models.CharField(_("basis"), max_length=100)  # the stars and grade it rests on, written when recorded
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-decided_on", "id"]
        verbose_name = _("project fund")
        verbose_name_plural = _("project funds")

    def __str__(self) -> str:
        return f"{self.year} {self.village} {self.project}"


class DemonstrationAward(models.Model):  # 示范村认定、奖励与撤销
    """What became of a 示范村 nomination (stars.DemonstrationNomination): approved or not by the city or
    the province, the reward and when it was paid, and the revocation when the village later loses its
    fourth star (results.services revokes it when stars tells it the village's stars went down)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")
        REVOKED = "revoked", _("revoked")

    nomination = models.OneToOneField(
        "stars.DemonstrationNomination",
        verbose_name=_("nomination"),
        on_delete=models.PROTECT,
        related_name="award",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    approved_by_body = models.CharField(_("approved by"), max_length=100, blank=True)  # e.g. 省纪委省监委
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("document number"), max_length=100, blank=True)  # 文号
    reward_amount = models.DecimalField(_("reward (yuan)"), null=True, blank=True, **MONEY)
    reward_paid_on = models.DateField(_("reward paid on"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("why revoked"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-nomination__nominated_at"]
        verbose_name = _("demonstration village award")
        verbose_name_plural = _("demonstration village awards")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending"]) | Q(decided_on__isnull=False), name="demonstration_award_decided_on"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | (Q(revoked_on__isnull=False) & ~Q(revoke_reason="")),
                name="demonstration_award_revoked_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(reward_paid_on__isnull=True) | Q(reward_amount__isnull=False),
                name="demonstration_award_paid_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} {self.get_status_display()}"


class Filing(models.Model):  # 备案：成员单位的政策、奖项、资金、项目，领导小组办公室出具意见
    class Kind(models.TextChoices):
        POLICY = "policy", _("policy")
        AWARD = "award", _("award")
        FUND = "fund", _("fund")
        PROJECT = "project", _("project")

    class Opinion(models.TextChoices):
        AGREED = "agreed", _("agreed")  # 同意
        AGREED_IF = "agreed_if", _("agreed with changes")  # 修改后同意
        DISAGREED = "disagreed", _("not agreed")  # 不同意

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        MemberDepartment, verbose_name=_("department"), on_delete=models.PROTECT, related_name="filings"
    )
    number = models.CharField(_("filing number"), max_length=30)  # 备案号, e.g. 备〔2026〕3号
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("what it provides"))  # how stars and grades are used in it
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    filed_on = models.DateField(_("filed on"))
    villages = models.ManyToManyField(
        "villages.Village", verbose_name=_("villages concerned"), blank=True, related_name="+"
    )
    opinion = models.CharField(_("office's opinion"), max_length=10, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("opinion"), blank=True)
    opinion_on = models.DateField(_("opinion given on"), null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"],
                name="filing_number_once_per_county",
                violation_error_message=_("The county has a filing with this number already."),
            ),
            models.CheckConstraint(
                condition=(Q(opinion="") & Q(opinion_on__isnull=True))
                | (~Q(opinion="") & Q(opinion_on__isnull=False) & ~Q(opinion_text="")),
                name="filing_opinion_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
