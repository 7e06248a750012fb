"""Star rating (评星晋级, Shaoxing style), DESIGN.md section 4.

Each year has its criteria (评星标准): seven dimensions of items with points, the points each star level
needs, veto items and the publicity period. A township secretary files an application (评星申报) for a
village with a self-assessment per item and evidence; the township decides levels 1–3, levels 4–5 go on
with the township's opinion to the district commission. A decided level is published for objections
(公示) and then fixed. Stars can be stripped during the year (摘星); 4–5 star villages can be nominated
demonstration villages (示范村); 1–2 star villages get an improvement plan.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition
from simple_history.models import HistoricalRecords

from core.uploads import EvidenceFile
from scoring.models import POINTS

if TYPE_CHECKING:
    from villages.models import Station, Township, Village

LEVELS = [(level, "★" * level) for level in range(1, 6)]
STAR_LEVEL = {"choices": LEVELS, "validators": [MinValueValidator(1), MaxValueValidator(5)]}


class Subject(models.TextChoices):  # 评什么：一套评定办法，三类对象（三位一体）
    """What the engine rates. Villages get one to five stars, the township deciding up to three; townships
    (勤廉双优示范乡镇) and grassroots stations (群众满意基层站所) pass or not, and the county decides."""

    VILLAGE = "village", _("villages (star rating)")  # 评星晋级
    TOWNSHIP = "township", _("townships (model of diligence and integrity)")  # 勤廉双优示范乡镇
    STATION = "station", _("grassroots stations (satisfying the people)")  # 群众满意基层站所


class StarCriteria(models.Model):  # 评定标准（每类对象每年一套：市级默认，各区县可复制后调整）
    """A year's criteria for one subject: the city-wide default (no county), or a county's own, copied
    from the default and adjusted (stars.criteria_services.criteria_copy_for_county). A village (township,
    station) is rated on its county's criteria of the year, else on the default.

    Levels run from 1 to `top_level`: five stars for villages, one (the pass mark, min_points_1) for
    townships and stations. The township decides up to `township_decides_up_to`; above it, the county."""

    subject = models.CharField(_("rated"), max_length=10, choices=Subject.choices, default=Subject.VILLAGE)
    year = models.PositiveSmallIntegerField(_("year"))
    district = models.ForeignKey(
        "villages.District",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="star_criteria",
        help_text=_("Empty for the city-wide default of the year; a county's own criteria are a copy of it."),
    )
    publicity_days = models.PositiveSmallIntegerField(_("publicity period (days)"), default=5)
    top_level = models.PositiveSmallIntegerField(
        _("levels"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("5 for one to five stars; 1 for a pass mark (the points of level 1)."),
    )
    township_decides_up_to = models.PositiveSmallIntegerField(
        _("the township decides up to level"),
        default=3,
        validators=[MaxValueValidator(5)],
        help_text=_("Higher levels go on to the county commission; 0: the county decides every level."),
    )
    min_satisfaction = models.DecimalField(
        _("lowest satisfaction (%)"),
        null=True,
        blank=True,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("When set, a rating needs the villagers' satisfaction figure, at least this high."),
    )
    veto_max_level = models.PositiveSmallIntegerField(
        _("highest level with a veto item"),
        default=3,
        validators=[MaxValueValidator(5)],
        help_text=_("A village hit by a veto item cannot be rated above this level."),
    )
    min_points_1 = models.DecimalField(_("points for 1 star"), default=Decimal("60.00"), **POINTS)
    min_points_2 = models.DecimalField(_("points for 2 stars"), default=Decimal("70.00"), **POINTS)
    min_points_3 = models.DecimalField(_("points for 3 stars"), default=Decimal("80.00"), **POINTS)
    min_points_4 = models.DecimalField(_("points for 4 stars"), default=Decimal("88.00"), **POINTS)
    min_points_5 = models.DecimalField(_("points for 5 stars"), default=Decimal("95.00"), **POINTS)
    # 试点先行: the townships where the criteria apply first, county by county; a county none of whose
    # townships is listed takes part whole (as does one rolled out: StarPilotStage.whole_county).
    pilot_townships = models.ManyToManyField(
        "villages.Township",
        through="StarPilotTownship",
        blank=True,
        related_name="+",
        verbose_name=_("pilot townships"),
    )
    history = HistoricalRecords(table_name="scoring_historicalstarcriteria")

    class Meta:
        db_table = "scoring_starcriteria"
        ordering = ["-year"]
        verbose_name = _("star criteria")
        verbose_name_plural = _("star criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "district", "year"],
                name="star_criteria_one_per_county_and_year",
                violation_error_message=_("The county has its criteria of this year already."),
            ),
            models.UniqueConstraint(
                fields=["subject", "year"],
                condition=Q(district__isnull=True),
                name="star_criteria_one_default_per_year",
                violation_error_message=_("The city-wide criteria of this year exist already."),
            ),
            # Only the levels in use need increasing points: a pass mark's unused levels are ignored.
            models.CheckConstraint(
                condition=(Q(top_level__lt=2) | Q(min_points_1__lte=models.F("min_points_2")))
                & (Q(top_level__lt=3) | Q(min_points_2__lte=models.F("min_points_3")))
                & (Q(top_level__lt=4) | Q(min_points_3__lte=models.F("min_points_4")))
                & (Q(top_level__lt=5) | Q(min_points_4__lte=models.F("min_points_5"))),
                name="star_thresholds_increase",
            ),
            models.CheckConstraint(
                condition=Q(township_decides_up_to__lte=models.F("top_level")),
                name="star_township_decides_within_levels",
            ),
        ]

    def __str__(self) -> str:
        if self.district_id:
            return _("Star criteria %(year)s of %(county)s") % {"year": self.year, "county": self.district}
        return _("Star criteria %(year)s") % {"year": self.year}

    @property
    def is_pass_mark(self) -> bool:
        return self.top_level == 1

    def thresholds(self) -> dict[int, Decimal]:
        return {level: getattr(self, f"min_points_{level}") for level in range(1, self.top_level + 1)}

    def level_name(self, level: int | None) -> str:
        """How a level reads: ★★★ for stars, the title (勤廉双优示范乡镇…) for a pass mark."""
        if not level:
            return ""
        return str(self.get_subject_title()) if self.is_pass_mark else "★" * level

    def get_subject_title(self) -> str:
        return str(SUBJECT_TITLES[Subject(self.subject)])

    def level_for(self, points: Decimal) -> int:
        """The highest level the points reach; 0 when below one star."""
        return max((level for level, needed in self.thresholds().items() if points >= needed), default=0)

    def clean(self) -> None:
        values = list(self.thresholds().values())
        if values != sorted(values):
            raise ValidationError(_("Each star level must need at least the points of the level below."))


class StarDimension(models.Model):  # 评星维度（制度建设、村务公开……）
    criteria = models.ForeignKey(
        StarCriteria, verbose_name=_("criteria"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(table_name="scoring_historicalstardimension")

    class Meta:
        db_table = "scoring_stardimension"
        ordering = ["position", "code"]
        verbose_name = _("star dimension")
        verbose_name_plural = _("star dimensions")
        constraints = [models.UniqueConstraint(fields=["criteria", "code"], name="star_dimension_code_unique")]

    def __str__(self) -> str:
        return self.name


class StarItem(models.Model):  # 评星评分项
    dimension = models.ForeignKey(
        StarDimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(table_name="scoring_historicalstaritem")

    class Meta:
        db_table = "scoring_staritem"
        ordering = ["position", "code"]
        verbose_name = _("star item")
        verbose_name_plural = _("star items")
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="star_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StarVetoItem(models.Model):  # 评星否决项
    class Rule(models.TextChoices):
        CADRE_SANCTION = "cadre_sanction", _("a village cadre given a party or government sanction that year")
        INDEX_VETO = "index_veto", _("a veto event in that year's integrity index")
        INDEX_GRADE_C = "index_grade_c", _("a C grade in that year's published integrity index")
        RECORDED = "recorded", _("recorded by commission staff")

    criteria = models.ForeignKey(
        StarCriteria, verbose_name=_("criteria"), on_delete=models.CASCADE, related_name="veto_items"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    rule = models.CharField(_("checked against"), max_length=20, choices=Rule.choices)
    history = HistoricalRecords(table_name="scoring_historicalstarvetoitem")

    class Meta:
        db_table = "scoring_starvetoitem"
        ordering = ["code"]
        verbose_name = _("star veto item")
        verbose_name_plural = _("star veto items")
        constraints = [models.UniqueConstraint(fields=["criteria", "code"], name="star_veto_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StarVetoRecord(models.Model):  # 否决事项记录（人工登记，如村干部受党纪政务处分）
    item = models.ForeignKey(
        StarVetoItem, verbose_name=_("veto item"), on_delete=models.PROTECT, related_name="records"
    )
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    occurred_on = models.DateField(_("occurred on"))
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(table_name="scoring_historicalstarvetorecord")

    class Meta:
        db_table = "scoring_starvetorecord"
        verbose_name = _("veto record")
        verbose_name_plural = _("veto records")

    def __str__(self) -> str:
        return f"{self.village} {self.item.name} {self.occurred_on}"


class StarPilotStage(models.Model):  # 试点阶段：哪天起、哪些镇街加入（或全县推开）、谁定的
    """One step of a county's pilot (试点先行): from a day on, the townships added, or the whole county
    (全县推开, after which the pilot is over). Stages only add: a township that applied keeps taking part."""

    criteria = models.ForeignKey(
        StarCriteria, verbose_name=_("criteria"), on_delete=models.CASCADE, related_name="pilot_stages"
    )
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    whole_county = models.BooleanField(_("rolled out across the county"), default=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("pilot stage")
        verbose_name_plural = _("pilot stages")
        constraints = [
            models.UniqueConstraint(
                fields=["criteria", "district"],
                condition=Q(whole_county=True),
                name="star_pilot_rolled_out_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria} {self.district} {self.starts_on}"


class StarPilotTownship(models.Model):  # 试点镇街
    criteria = models.ForeignKey(StarCriteria, verbose_name=_("criteria"), on_delete=models.CASCADE, related_name="+")
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        StarPilotStage, verbose_name=_("pilot stage"), on_delete=models.CASCADE, related_name="townships"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["township__code"]
        verbose_name = _("pilot township")
        verbose_name_plural = _("pilot townships")
        constraints = [models.UniqueConstraint(fields=["criteria", "township"], name="star_pilot_township_once")]

    def __str__(self) -> str:
        return f"{self.criteria} {self.township}"


SUBJECT_TITLES = {
    Subject.VILLAGE: _("star village"),
    Subject.TOWNSHIP: _("model township of diligence and integrity"),  # 勤廉双优示范乡镇
    Subject.STATION: _("grassroots station satisfying the people"),  # 群众满意基层站所
}


class StarApplication(models.Model):  # 评星申报（村、乡镇、基层站所）
    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        SUBMITTED = "submitted", _("awaiting the township")
        RETURNED = "returned", _("returned for more evidence")
        FORWARDED = "forwarded", _("awaiting the district commission")
        PUBLICITY = "publicity", _("in publicity")
        FIXED = "fixed", _("fixed")

    criteria = models.ForeignKey(
        StarCriteria, verbose_name=_("criteria"), on_delete=models.PROTECT, related_name="applications"
    )
    # What is rated: the criteria's subject, copied here so that the database can hold the rule below.
    subject = models.CharField(_("rated"), max_length=10, choices=Subject.choices, default=Subject.VILLAGE)
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="star_applications",
    )
    station = models.ForeignKey(
        "villages.Station",
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="star_applications",
    )
    # The township rated, or the one the village or station is in: whose secretary files, who is scoped.
    township = models.ForeignKey(
        "villages.Township",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="star_applications",
    )
    level_applied = models.PositiveSmallIntegerField(_("level applied for"), **STAR_LEVEL)
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, protected=False)
    self_points = models.DecimalField(_("self-assessed points"), default=Decimal("0"), **POINTS)
    summary = models.TextField(_("self-assessment summary"), blank=True)
    decided_level = models.PositiveSmallIntegerField(_("decided level"), null=True, blank=True, **STAR_LEVEL)
    decided_points = models.DecimalField(_("decided points"), null=True, blank=True, **POINTS)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    # 群众满意度: the villagers' survey result a station's rating rests on, entered by the county's staff.
    satisfaction = models.DecimalField(
        _("villagers' satisfaction (%)"),
        null=True,
        blank=True,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    satisfaction_responses = models.PositiveIntegerField(_("responses"), null=True, blank=True)
    satisfaction_source = models.CharField(_("survey"), max_length=200, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every change increments it
    history = HistoricalRecords(table_name="scoring_historicalstarapplication")

    class Meta:
        db_table = "scoring_starapplication"
        ordering = ["-criteria__year", "village__code"]
        verbose_name = _("star application")
        verbose_name_plural = _("star applications")
        constraints = [
            models.UniqueConstraint(fields=["criteria", "village"], name="star_application_one_per_year"),
            models.UniqueConstraint(fields=["criteria", "station"], name="star_application_station_once"),
            models.UniqueConstraint(
                fields=["criteria", "township"],
                condition=Q(subject="township"),
                name="star_application_township_once",
            ),
            models.CheckConstraint(
                condition=(Q(subject="village") & Q(village__isnull=False) & Q(station__isnull=True))
                | (Q(subject="station") & Q(village__isnull=True) & Q(station__isnull=False))
                | (Q(subject="township") & Q(village__isnull=True) & Q(station__isnull=True)),
                name="star_application_rates_its_subject",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction_responses__gt=0),
                name="star_satisfaction_has_responses",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["publicity", "fixed"], decided_level__isnull=False)
                | (~Q(status__in=["publicity", "fixed"]) & Q(decided_level__isnull=True)),
                name="star_decided_level_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criteria.year} {self.rated} {self.criteria.level_name(self.level_applied)}"

    def save(self, *args, **kwargs) -> None:
        # What is rated and where follow from the criteria and the subject: never taken from a caller.
        self.subject = self.criteria.subject
        if self.village_id:
            self.township_id = self.village.township_id  # type: ignore[union-attr]
        elif self.station_id:
            self.township_id = self.station.township_id  # type: ignore[union-attr]
        super().save(*args, **kwargs)

    @property
    def rated(self) -> "Village | Township | Station":
        """The village, township or station rated."""
        if self.subject == Subject.VILLAGE:
            return self.village  # type: ignore[return-value]
        return self.station if self.subject == Subject.STATION else self.township  # type: ignore[return-value]

    @property
    def decided_by_district(self) -> bool:
        return self.level_applied > self.criteria.township_decides_up_to

    def apply_url(self) -> str:
        """The self-assessment page of what is rated, for the year of the criteria."""
        if self.subject == Subject.VILLAGE:
            url = reverse("stars:apply", args=[self.village.code])  # type: ignore[union-attr]
        elif self.subject == Subject.STATION:
            url = reverse("stars:apply_station", args=[self.station_id])
        else:
            url = reverse("stars:apply_township", args=[self.township.code])
        return f"{url}?year={self.criteria.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    # The steps of an application (core.states); who may take each is said by stars.services' predicates.
    @transition(
        field=status, source=[Status.DRAFT, Status.RETURNED], target=RETURN_VALUE(Status.SUBMITTED, Status.FORWARDED)
    )
    def submit(self) -> str:
        """村自评申报. When the township decides no level (a township's or station's rating), the filing
        goes straight to the county."""
        return self.Status.SUBMITTED if self.criteria.township_decides_up_to else self.Status.FORWARDED

    @transition(field=status, source=[Status.SUBMITTED, Status.FORWARDED], target=Status.RETURNED)
    def return_for_evidence(self) -> None:
        """退回补充材料."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.FORWARDED)
    def forward(self) -> None:
        """乡镇提出意见，报区纪委."""

    @transition(field=status, source=[Status.SUBMITTED, Status.FORWARDED], target=Status.PUBLICITY)
    def decide(self) -> None:
        """评定，进入公示."""

    @transition(field=status, source=Status.PUBLICITY, target=Status.FIXED)
    def fix(self) -> None:
        """公示期满，无异议，定星."""

    @transition(field=status, source=Status.PUBLICITY, target=RETURN_VALUE(Status.SUBMITTED, Status.FORWARDED))
    def reopen(self) -> str:
        """异议成立：撤回公示，回到评定它的一级."""
        return self.Status.FORWARDED if self.decided_by_district else self.Status.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def in_publicity(self) -> bool:
        return self.status == self.Status.PUBLICITY

    @property
    def awaits_township_opinion(self) -> bool:
        """Filed for four or five stars: the township gives its opinion and sends it to the district."""
        return self.status == self.Status.SUBMITTED and self.decided_by_district

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.PUBLICITY, self.Status.FIXED)

    def current_stars(self) -> int | None:
        """The decided level, or what 摘星 left of it; None until decided."""
        if not self.is_decided:
            return None
        strip = self.strips.order_by("-stripped_on", "-id").first()
        return strip.stars_after if strip else self.decided_level


class SelfAssessment(models.Model):  # 村自评（逐项）
    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="self_scores"
    )
    item = models.ForeignKey(StarItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points"), **POINTS)
    note = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords(table_name="scoring_historicalselfassessment")

    class Meta:
        db_table = "scoring_selfassessment"
        ordering = ["item__dimension__position", "item__position"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="self_assessment_once")]

    def __str__(self) -> str:
        return f"{self.item.code} {self.points}"


class StarAttachment(EvidenceFile):  # 佐证材料
    EVIDENCE_FOLDER = "star-evidence"

    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    history = HistoricalRecords(table_name="scoring_historicalstarattachment")

    class Meta(EvidenceFile.Meta):
        db_table = "scoring_starattachment"


class StarReviewStep(models.Model):  # 审核记录：谁、何时、意见、评分
    class Action(models.TextChoices):
        SUBMIT = "submit", _("filed")
        RETURN = "return", _("returned for more evidence")
        FORWARD = "forward", _("township opinion, sent to the district")
        DECIDE = "decide", _("decided")
        REOPEN = "reopen", _("re-opened after an upheld objection")
        FIX = "fix", _("fixed after publicity")

    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("step"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True)
    points = models.DecimalField(_("points"), null=True, blank=True, **POINTS)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True, **STAR_LEVEL)
    history = HistoricalRecords(table_name="scoring_historicalstarreviewstep")

    class Meta:
        db_table = "scoring_starreviewstep"
        ordering = ["at", "id"]
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


class StarObjection(models.Model):  # 公示期异议
    class Channel(models.TextChoices):
        LETTER = "letter", _("letter")
        VISIT = "visit", _("visit")
        PHONE = "phone", _("phone")
        ONLINE = "online", _("online")

    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    content = models.TextField(_("content"))
    answer = models.TextField(_("answer"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords(table_name="scoring_historicalstarobjection")

    class Meta:
        db_table = "scoring_starobjection"
        ordering = ["received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(upheld__isnull=True) | ~Q(answer=""), name="star_objection_answer_with_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.get_channel_display()}"

    @property
    def is_open(self) -> bool:
        return self.upheld is None


class StarStrip(models.Model):  # 摘星
    class Trigger(models.TextChoices):
        CASE_FILED = "case", _("a case filed (立案)")
        VETO = "veto", _("a veto event")
        GRADE_C = "grade_c", _("a C grade in the integrity index")
        OTHER = "other", _("other")

    application = models.ForeignKey(
        StarApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="strips"
    )
    stars_before = models.PositiveSmallIntegerField(_("stars before"))
    stars_after = models.PositiveSmallIntegerField(_("stars after"), validators=[MaxValueValidator(4)])
    trigger = models.CharField(_("because of"), max_length=10, choices=Trigger.choices)
    reason = models.TextField(_("reason"))
    stripped_on = models.DateField(_("stripped on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(table_name="scoring_historicalstarstrip")

    class Meta:
        db_table = "scoring_starstrip"
        ordering = ["stripped_on", "id"]
        verbose_name = _("stars stripped")
        verbose_name_plural = _("stars stripped")
        constraints = [
            models.CheckConstraint(condition=Q(stars_after__lt=models.F("stars_before")), name="strip_lowers"),
            models.CheckConstraint(condition=~Q(reason=""), name="strip_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.stripped_on} {self.stars_before}→{self.stars_after}"


class StarVetoHit(models.Model):  # 否决事项提示：定星后出现的否决事项，待工作人员摘星或说明
    """A veto event that now hits a village whose stars were fixed above the criteria's veto ceiling,
    listed by the daily job for staff to strip the stars (摘星) or dismiss with a reason; nothing is
    stripped automatically. A row stays when answered, so the job never lists the same event twice."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("to be answered")
        STRIPPED = "stripped", _("stars stripped")
        DISMISSED = "dismissed", _("dismissed")

    application = models.ForeignKey(
        StarApplication, verbose_name=_("star rating"), on_delete=models.PROTECT, related_name="veto_hits"
    )
    item = models.ForeignKey(StarVetoItem, verbose_name=_("veto item"), on_delete=models.PROTECT, related_name="hits")
    event_key = models.CharField(_("event reference"), max_length=100)  # which event: a sanction, a period's grade…
    event = models.TextField(_("event"))  # post and sanction, grade and period…: never a person's name
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    strip = models.ForeignKey(
        StarStrip, verbose_name=_("stars stripped"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dismiss_reason = models.TextField(_("why dismissed"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords(table_name="scoring_historicalstarvetohit")

    class Meta:
        db_table = "scoring_starvetohit"
        ordering = ["found_at", "id"]
        verbose_name = _("veto hit on fixed stars")
        verbose_name_plural = _("veto hits on fixed stars")
        constraints = [
            models.UniqueConstraint(fields=["application", "item", "event_key"], name="star_veto_hit_once"),
            models.CheckConstraint(
                condition=~Q(outcome="stripped") | Q(strip__isnull=False), name="star_veto_hit_stripped_names_strip"
            ),
            models.CheckConstraint(
                condition=~Q(outcome="dismissed") | ~Q(dismiss_reason=""), name="star_veto_hit_dismissed_with_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.village} {self.item.code} {self.event_key}"


DEMONSTRATION_MIN_STARS = 4


class DemonstrationNomination(models.Model):  # 示范村推荐（省级、市级）
    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("provincial")
        CITY = "city", _("city")

    application = models.ForeignKey(
        StarApplication, verbose_name=_("star rating"), on_delete=models.PROTECT, related_name="nominations"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    stars_at_nomination = models.PositiveSmallIntegerField(_("stars when nominated"))
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    history = HistoricalRecords(table_name="scoring_historicaldemonstrationnomination")

    class Meta:
        db_table = "scoring_demonstrationnomination"
        verbose_name = _("demonstration village nomination")
        verbose_name_plural = _("demonstration village nominations")
        constraints = [
            # 示范村必须从四至五星级村中产生: the database refuses it too, not only the form.
            models.CheckConstraint(
                condition=Q(stars_at_nomination__gte=DEMONSTRATION_MIN_STARS), name="demonstration_needs_four_stars"
            ),
            models.UniqueConstraint(fields=["application", "level"], name="demonstration_once_per_level"),
        ]

    def __str__(self) -> str:
        return f"{self.application.village} {self.get_level_display()}"

    def save(self, *args, **kwargs) -> None:
        # The stars are read here, never taken from the caller, so the check constraint sees the truth.
        self.full_clean(exclude=["stars_at_nomination"])
        self.stars_at_nomination = self.application.current_stars()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        stars = self.application.current_stars()
        if stars is None or stars < DEMONSTRATION_MIN_STARS:
            raise ValidationError(
                _("Only a village with four or five stars can be nominated a demonstration village (it has %(stars)s).")
                % {"stars": stars or 0}
            )


class ImprovementPlan(models.Model):  # 改进提升计划（一、二星级村）
    application = models.OneToOneField(
        StarApplication, verbose_name=_("star rating"), on_delete=models.PROTECT, related_name="plan"
    )
    measures = models.TextField(_("help measures"))
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    due_on = models.DateField(_("due on"))
    progress = models.TextField(_("progress"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(table_name="scoring_historicalimprovementplan")

    class Meta:
        db_table = "scoring_improvementplan"
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")

    def __str__(self) -> str:
        return f"{self.application.village} {self.due_on}"
