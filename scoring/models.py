"""Integrity index (清廉指数, Luqiao style).

A scheme (评分方案) of categories and indicators summing to 100, bonus items and veto items belongs to a
period (考评期). A round (评分轮次) holds one period's scores; it moves draft → submitted → approved →
published, and a correction after publication is a new revision of the round. Results (total, grade,
ranks) are computed by scoring.services and stored with the round.
"""

import re
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.roles import Role

POINTS = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Scheme(models.Model):  # 评分方案
    name = models.CharField(_("name"), max_length=100)
    # None: the city-wide (or installation's) default, which any county may use or copy and adjust
    # (scoring.services.scheme_copy_for_county); a county's own scheme serves that county only.
    district = models.ForeignKey(
        "villages.District",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schemes",
        help_text=_("Empty for the default scheme every county may use; a county's own adjusted scheme names it."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_example = models.BooleanField(
        _("example"), default=False, help_text=_("The default standard, to be adjusted by each commission.")
    )
    grade_a_min = models.DecimalField(_("grade A from"), default=Decimal("90.00"), **POINTS)
    grade_b_min = models.DecimalField(_("grade B from"), default=Decimal("80.00"), **POINTS)
    bonus_cap = models.DecimalField(_("bonus cap"), default=Decimal("5.00"), **POINTS)
    # 公示期: the county's rule for how long residents may object once a round is published; read when the
    # round is published (the scheme is locked by then), so a later version never moves a past window.
    publicity_days = models.PositiveSmallIntegerField(
        _("publicity period (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("Days during which residents may object to a published index, counting the day of publication."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="scheme_name_version_unique"),
            models.CheckConstraint(condition=Q(grade_a_min__gt=models.F("grade_b_min")), name="scheme_grade_order"),
            models.CheckConstraint(condition=Q(bonus_cap__lte=5), name="scheme_bonus_cap_at_most_5"),
            models.CheckConstraint(condition=Q(publicity_days__gte=1), name="scheme_publicity_at_least_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Category(models.Model):  # 类别（四清）
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "position", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="category_code_unique_in_scheme")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):  # 指标
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="indicators")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    guidance = models.TextField(_("deduction guidance"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "category__position", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_unique_in_scheme"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="indicator_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BonusItem(models.Model):  # 特色工作加分项
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="bonus_items")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "code"]
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="bonus_code_unique_in_scheme")]

    def __str__(self) -> str:
        return self.name


class VetoItem(models.Model):  # 负面清单（一票否决）
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="veto_items")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    from_sanctions = models.BooleanField(
        _("found from sanctions"),
        default=False,
        help_text=_("A party or government sanction of a village cadre in the period is this veto event."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "code"]
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="veto_code_unique_in_scheme")]

    def __str__(self) -> str:
        return self.name


# A period is written 2025 (a year) or 2025H1 / 2025H2 (a half-year, as Luqiao graded).
# The same pattern is the database's check (PostgreSQL's regular expressions: no named groups).
PERIOD_CODE = r"^[0-9]{4}(H[12])?$"
SCHEME_OF_ANOTHER_COUNTY = _("This scheme is another county's: choose the default scheme or the county's own.")


class Period(models.Model):  # 考评期：一年或半年（每个区县各自的）
    # Each county grades its own villages under its own scheme: two counties each have their 2025.
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="periods"
    )
    code = models.CharField(_("period"), max_length=6, help_text=_("2025, 2025H1 or 2025H2"))
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half"), null=True, blank=True, choices=[(1, "H1"), (2, "H2")])
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="periods")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-half"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=PERIOD_CODE), name="period_code_format"),
            models.UniqueConstraint(fields=["district", "code"], name="period_code_unique_in_county"),
        ]

    # The public index lives at /index/<code>/ and is cited by that address and these dates: once a round
    # of the period is approved they never change (a 2024 renamed 2019 would move the published index,
    # another county would take it over). Only Period.save guards this; nothing calls Period.objects.update().
    FIXED_ONCE_APPROVED = ("code", "year", "half", "scheme_id", "district_id")

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self._refuse_changes_once_published()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if re.fullmatch(PERIOD_CODE, self.code or "") and Period.parts(self.code) != (self.year, self.half):
            message = _("The period code must say its year and half: %(code)s.") % {"code": self.expected_code}
            raise ValidationError({"code": message})
        if self.scheme_id and self.district_id and self.scheme.district_id not in (None, self.district_id):
            raise ValidationError({"scheme": SCHEME_OF_ANOTHER_COUNTY})
        self._refuse_changes_once_published()

    @property
    def expected_code(self) -> str:
        return f"{self.year}H{self.half}" if self.half else str(self.year)

    @property
    def is_settled(self) -> bool:
        """A round of the period has been approved (and so may be, or is, published)."""
        return self.rounds.filter(status__in=[Round.Status.APPROVED, Round.Status.PUBLISHED]).exists()

    def _refuse_changes_once_published(self) -> None:
        if self.pk is None or not self.is_settled:
            return
        stored = Period.objects.values(*self.FIXED_ONCE_APPROVED).get(pk=self.pk)
        if any(stored[name] != getattr(self, name) for name in self.FIXED_ONCE_APPROVED):
            raise ValidationError(
                _("The period %(code)s has an approved index: its code, year, half and scheme cannot change.")
                % {"code": stored["code"]}
            )

    @staticmethod
    def parts(code: str) -> tuple[int, int | None]:
        """The year and half of a period code: 2025 → (2025, None), 2025H2 → (2025, 2)."""
        if not re.fullmatch(PERIOD_CODE, code):
            raise ValueError(code)
        return int(code[:4]), int(code[5]) if len(code) == 6 else None

    def date_range(self) -> tuple[date, date]:
        """The first and last day of the year or half-year."""
        if self.half == 1:
            return date(self.year, 1, 1), date(self.year, 6, 30)
        if self.half == 2:
            return date(self.year, 7, 1), date(self.year, 12, 31)
        return date(self.year, 1, 1), date(self.year, 12, 31)


class Round(models.Model):  # 评分轮次（一个考评期的一次修订）
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="rounds")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, protected=False)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # 公示截止日: the last day a resident may object, set when the round is published (scoring.objections).
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__year", "-period__half", "-revision"]
        verbose_name = _("scoring round")
        verbose_name_plural = _("scoring rounds")
        constraints = [
            models.UniqueConstraint(fields=["period", "revision"], name="round_revision_unique"),
            models.CheckConstraint(
                condition=Q(revision=1) | ~Q(correction_reason=""), name="round_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} #{self.revision}"

    @property
    def is_editable(self) -> bool:
        return self.status == Round.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == Round.Status.PUBLISHED

    @property
    def in_publicity(self) -> bool:
        """公示中: published, and today is not past the last day of its publicity period."""
        return self.publicity_ends_on is not None and timezone.localdate() <= self.publicity_ends_on

    # The steps of a round and who may take each (core.states): the county's staff submit, its leaders
    # return, approve and publish. Taken by scoring.services, which stamps who and when.
    @transition(field=status, source=Status.DRAFT, target=Status.SUBMITTED, permission=lambda r, u: _staff(r, u))
    def submit(self) -> None:
        """报送审核."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.DRAFT, permission=lambda r, u: _leader(r, u))
    def return_to_staff(self) -> None:
        """退回修改."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED, permission=lambda r, u: _leader(r, u))
    def approve(self) -> None:
        """审核通过."""

    @transition(field=status, source=Status.APPROVED, target=Status.PUBLISHED, permission=lambda r, u: _leader(r, u))
    def publish(self) -> None:
        """公布."""


def of_own_county(round_: Round, user) -> bool:
    """The round is of the county the user works for (another county's staff and leaders never act on it)."""
    return user.county_id is not None and user.county_id == round_.period.district_id


def _staff(round_: Round, user) -> bool:
    return user.has_role(Role.COMMISSION_STAFF) and of_own_county(round_, user)


def _leader(round_: Round, user) -> bool:
    return user.has_role(Role.COMMISSION_LEADER) and of_own_county(round_, user)


class Score(models.Model):  # 指标得分
    class Source(models.TextChoices):
        TOWNSHIP_CHECK = "township_check", _("township check")  # 乡镇考核
        THIRD_PARTY = "third_party", _("third-party survey")  # 第三方测评
        DISTRICT_CHECK = "district_check", _("district check")  # 区纪委核查

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scores")
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="scores"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    reason = models.TextField(_("reason for the deduction"), blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=200, blank=True, help_text=_("An inspection finding or a substantiated petition.")
    )
    finding = models.ForeignKey(
        "inspections.Finding",
        verbose_name=_("inspection finding"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
        help_text=_("The finding this deduction rests on."),
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("substantiated petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scores",
        help_text=_("The substantiated petition this deduction rests on."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.TOWNSHIP_CHECK)
    # 片区联动: the township that scored may differ from the village's own.
    scoring_unit = models.ForeignKey(
        "villages.Township", verbose_name=_("scoring unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every save increments it
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["round", "village", "indicator"], name="score_once_per_indicator"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id}/{self.indicator_id}: {self.points}"


class BonusScore(models.Model):  # 特色工作加分
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="bonuses")
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    item = models.ForeignKey(BonusItem, verbose_name=_("bonus item"), on_delete=models.PROTECT)
    points = models.DecimalField(_("points"), **POINTS)
    reason = models.TextField(_("reason"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bonus")
        verbose_name_plural = _("bonuses")
        constraints = [
            models.UniqueConstraint(fields=["round", "village", "item"], name="bonus_once_per_item"),
            models.CheckConstraint(condition=Q(points__gt=0), name="bonus_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id}/{self.item_id}: +{self.points}"


class VetoEvent(models.Model):  # 一票否决事项
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="vetoes")
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    item = models.ForeignKey(VetoItem, verbose_name=_("veto item"), on_delete=models.PROTECT)
    reason = models.TextField(_("reason"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("veto event")
        verbose_name_plural = _("veto events")
        constraints = [models.UniqueConstraint(fields=["round", "village", "item"], name="veto_once_per_item")]

    def __str__(self) -> str:
        return f"{self.village_id}: {self.item}"


class OpenDataLicence(models.Model):  # 开放数据许可协议（数据，可调整）
    """The open licence of the published index's open data, one row for the installation: the site is
    published by one commission (a city's installation by the city), and a file spanning its counties can
    state one licence only. The defaults (CC BY 4.0) stand until the system administrator saves a row."""

    name = models.CharField(_("licence"), max_length=100, default="CC BY 4.0")
    url = models.URLField(_("licence address"), default="https://creativecommons.org/licenses/by/4.0/")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("open data licence")
        verbose_name_plural = _("open data licence")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "OpenDataLicence":
        # Reading never writes: the public pages stay read-only.
        return cls.objects.order_by("pk").first() or cls()


class Grade(models.TextChoices):
    A = "A", _("A (green)")
    B = "B", _("B (yellow)")
    C = "C", _("C (red)")


class VillageResult(models.Model):  # 村居清廉指数结果（随轮次保存）
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results")
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="results"
    )
    base_points = models.DecimalField(_("indicator points"), **POINTS)
    bonus_points = models.DecimalField(_("bonus points"), **POINTS)
    total = models.DecimalField(_("total"), **POINTS)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    veto_reason = models.TextField(_("veto reason"), blank=True)
    township_rank = models.PositiveIntegerField(_("rank in township"))
    district_rank = models.PositiveIntegerField(_("rank in district"))

    class Meta:
        ordering = ["district_rank", "village__code"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="result_once_per_village"),
            models.CheckConstraint(condition=Q(vetoed=False) | Q(grade="C"), name="result_veto_means_c"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id}: {self.total} {self.grade}"


class Diagnosis(models.Model):  # 清廉问诊：排名末三位村居
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="diagnoses")
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    held_on = models.DateField(_("held on"))
    deductions_found = models.TextField(_("deductions found"))
    measures = models.TextField(_("measures"))
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("integrity diagnosis")
        verbose_name_plural = _("integrity diagnoses")

    def __str__(self) -> str:
        return f"{self.village_id} {self.held_on}"


class Pairing(models.Model):  # 结对帮扶：排名靠前的村居帮扶C类村居
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="pairings")
    helper = models.ForeignKey(
        "villages.Village", verbose_name=_("helping village"), on_delete=models.PROTECT, related_name="+"
    )
    helped = models.ForeignKey(
        "villages.Village", verbose_name=_("helped village"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(fields=["round", "helped"], name="pairing_one_helper_per_village"),
            models.CheckConstraint(condition=~Q(helper=models.F("helped")), name="pairing_not_with_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.helper_id} → {self.helped_id}"


class HelpVisit(models.Model):  # 帮扶走访
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    content = models.TextField(_("what was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on"]
        verbose_name = _("help visit")
        verbose_name_plural = _("help visits")

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.visited_on}"


class Rectification(models.Model):  # C类村居整改目标与措施
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="rectifications")
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    goals = models.TextField(_("goals"))
    measures = models.TextField(_("measures"))
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    due_on = models.DateField(_("due on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification plan")
        verbose_name_plural = _("rectification plans")
        constraints = [models.UniqueConstraint(fields=["round", "village"], name="rectification_once_per_round")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.due_on}"


class IndexObjection(models.Model):  # 清廉指数公示期群众异议
    """A resident's objection to a village's result in a published round, filed on the public site
    without an account. The resident keeps a receipt code to read the stage and the answer; the county's
    staff answer it, and an upheld objection is answered by a correction revision (`correction`)."""

    class Stage(models.TextChoices):
        RECEIVED = "received", _("received, being looked into")  # 已受理
        NOT_UPHELD = "not_upheld", _("answered: not upheld")  # 异议不成立
        UPHELD = "upheld", _("answered: upheld, a correction is being prepared")  # 异议成立
        CORRECTED = "corrected", _("answered: upheld, the correction is published")  # 已更正

    class Channel(models.TextChoices):  # 受理渠道
        ONLINE = "online", _("the public form")  # 网上
        LETTER = "letter", _("letter")  # 来信
        PHONE = "phone", _("telephone")  # 来电
        VISIT = "visit", _("visit")  # 来访

    # The audit log says that these were written, by whom and when, never what they say (the text may name
    # the resident; the receipt code opens the answer). The contact never reaches the history at all.
    AUDIT_CONFIDENTIAL = frozenset({"uid", "receipt_code", "content"})

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # bound into the contact's cipher
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="objections")
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="index_objections"
    )
    number = models.PositiveIntegerField(_("number"))  # 异议编号, in the round: named in the correction note
    receipt_code = models.CharField(_("receipt code"), max_length=20, unique=True, editable=False)
    content = models.TextField(_("what is wrong"))
    # How it came in: the public form, or a letter, a call or a visit the county's staff recorded.
    channel = models.CharField(_("received by"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    # 联系人与电话：仅以 SM4-GCM 密文保存（core.crypto），只给答复的本区县工作人员看。
    contact_ciphertext = models.TextField(blank=True, editable=False)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    correction = models.ForeignKey(
        Round,
        verbose_name=_("answered by the correction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answered_objections",
    )
    history = HistoricalRecords(excluded_fields=["contact_ciphertext"])

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("objection to the index")
        verbose_name_plural = _("objections to the index")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="index_objection_number_unique_in_round"),
            models.CheckConstraint(
                condition=Q(upheld__isnull=True) | ~Q(answer=""), name="index_objection_answer_with_verdict"
            ),
            models.CheckConstraint(
                condition=Q(correction__isnull=True) | Q(upheld=True), name="index_objection_corrected_if_upheld"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """公示期异议编号, e.g. 2025-1-03: period, revision objected to, number."""
        return f"{self.round.period.code}-{self.round.revision}-{self.number:02d}"

    @property
    def stage(self) -> str:
        if self.upheld is None:
            return self.Stage.RECEIVED
        if not self.upheld:
            return self.Stage.NOT_UPHELD
        corrected = self.correction is not None and self.correction.status == Round.Status.PUBLISHED
        return self.Stage.CORRECTED if corrected else self.Stage.UPHELD

    def get_stage_display(self) -> str:
        return str(self.Stage(self.stage).label)
