"""Inspections (巡察 / 巡查), DESIGN.md section 5.

An inspection round (巡察轮次) of one of four kinds visits villages; its findings form the problem list
(问题清单) and the rectification ledger (整改台账), each finding moving open → rectifying → submitted for
closure → closed (对账销号) or reopened. Problem leads (问题线索) are handed on; persons handled (处理人员)
are recorded with any party or government sanction (党纪政务处分) and case filed (立案). A revisit round
(回头看) re-checks the earlier findings of the villages it targets.

A round belongs to one county (区/县): it visits that county's villages only, and its findings, leads and
persons handled are that county's.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from core.uploads import EvidenceFile


class FindingCategory(models.Model):  # 问题类别（可编辑的词表）
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("finding category")
        verbose_name_plural = _("finding categories")

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):  # 巡察 / 巡查轮次
    class Kind(models.TextChoices):
        DISTRICT = "district", _("district committee extended inspection (区委延伸巡察)")
        THEMATIC = "thematic", _("thematic inspection (专项巡察)")
        TOWNSHIP = "township", _("township inspection (镇街巡查)")
        REVISIT = "revisit", _("revisit (回头看)")

    # The county whose commission runs the round: its villages only, its staff and leaders only.
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=100, blank=True, help_text=_("For a thematic inspection."))
    team = models.CharField(_("team"), max_length=200)
    team_leader = models.CharField(_("team leader"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    villages = models.ManyToManyField(
        "villages.Village", verbose_name=_("villages inspected"), through="InspectionTarget", related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="inspection_dates_in_order"),
            models.CheckConstraint(condition=~Q(kind="thematic") | ~Q(theme=""), name="thematic_inspection_has_theme"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.THEMATIC and not self.theme.strip():
            raise ValidationError({"theme": _("A thematic inspection needs its theme.")})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end comes after the start.")})


class InspectionTarget(models.Model):  # 被巡察村居（回头看时附选定理由）
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="targets")
    village = models.ForeignKey("villages.Village", verbose_name=_("village"), on_delete=models.PROTECT)
    reason = models.CharField(_("why chosen"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village inspected")
        verbose_name_plural = _("villages inspected")
        constraints = [models.UniqueConstraint(fields=["round", "village"], name="inspection_target_once")]

    def __str__(self) -> str:
        return f"{self.round} {self.village}"


class Finding(models.Model):  # 问题清单 / 整改台账
    class Severity(models.TextChoices):
        MINOR = "minor", _("minor")
        SERIOUS = "serious", _("serious")
        GRAVE = "grave", _("grave")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RECTIFYING = "rectifying", _("being rectified")
        SUBMITTED = "submitted", _("submitted for closure")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("inspection round"), on_delete=models.PROTECT, related_name="findings"
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="findings"
    )
    category = models.ForeignKey(FindingCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    description = models.TextField(_("problem"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR)
    immediate = models.BooleanField(_("rectify at once (立行立改)"), default=False)
    measure = models.TextField(_("rectification measure"), blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followed by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The user who follows the rectification; closure is approved by someone else."),
    )
    found_on = models.DateField(_("found on"))
    due_on = models.DateField(_("due on"))
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, protected=False)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    recheck_of = models.ForeignKey(
        "self",
        verbose_name=_("re-check of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rechecks",
    )
    verification = models.TextField(_("verification"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every change increments it
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            # 对账销号: a closed finding names who approved it, and that is not the one who follows it.
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_by__isnull=False) & ~Q(closed_by=models.F("owner"))),
                name="finding_closed_by_another",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("found_on")), name="finding_due_after_found"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.description[:30]}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    # The steps of a finding (core.states); who may take each is said by inspections.services' predicates.
    @transition(field=status, source=[Status.OPEN, Status.RECTIFYING, Status.REOPENED], target=Status.RECTIFYING)
    def record_progress(self) -> None:
        """整改中."""

    @transition(field=status, source=[Status.OPEN, Status.RECTIFYING, Status.REOPENED], target=Status.SUBMITTED)
    def submit_for_closure(self) -> None:
        """申请销号."""

    @transition(field=status, source=Status.SUBMITTED, target=Status.CLOSED)
    def close(self) -> None:
        """对账销号."""

    @transition(field=status, source=[Status.SUBMITTED, Status.CLOSED], target=Status.REOPENED)
    def reopen(self) -> None:
        """重新整改."""


class FindingProgress(models.Model):  # 整改进展
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="progress")
    note = models.TextField(_("progress"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.note[:40]


class FindingEvidence(EvidenceFile):  # 整改佐证材料
    EVIDENCE_FOLDER = "finding-evidence"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    history = HistoricalRecords()


class ProblemLead(models.Model):  # 问题线索
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("inspection round"), on_delete=models.PROTECT, related_name="leads"
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    summary = models.TextField(_("lead"))
    handed_to = models.CharField(_("handed to"), max_length=100)
    handed_on = models.DateField(_("handed on"))
    outcome = models.TextField(_("outcome"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-handed_on", "-id"]
        verbose_name = _("problem lead")
        verbose_name_plural = _("problem leads")

    def __str__(self) -> str:
        return f"{self.village} {self.handed_on}"


class PersonHandled(models.Model):  # 处理人员（姓名仅区纪委可见）
    class Handling(models.TextChoices):
        TALK = "talk", _("talk and reminder (谈话提醒)")
        CRITICISM = "criticism", _("criticism and education (批评教育)")
        ADMONITION = "admonition", _("admonition (诫勉)")
        ORGANISATIONAL = "organisational", _("organisational measure (组织处理)")
        PARTY_SANCTION = "party_sanction", _("party sanction (党纪处分)")
        GOVERNMENT_SANCTION = "gov_sanction", _("government sanction (政务处分)")

    SANCTIONS = (Handling.PARTY_SANCTION, Handling.GOVERNMENT_SANCTION)

    # The name of a person handled is for the commission only: never in the audit log (which says that it
    # was recorded or changed, by whom and when).
    AUDIT_CONFIDENTIAL = frozenset({"name"})

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("inspection round"), on_delete=models.PROTECT, related_name="persons"
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    lead = models.ForeignKey(
        ProblemLead,
        verbose_name=_("problem lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=50)
    village_cadre = models.BooleanField(_("village cadre (村干部)"), default=True)
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices)
    case_filed = models.BooleanField(_("case filed (立案)"), default=False)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("person handled")
        verbose_name_plural = _("persons handled")

    def __str__(self) -> str:
        # Never the name: this string reaches logs, the audit log's summary and admin messages.
        return f"{self.post} {self.get_handling_display()} {self.decided_on}"

    @property
    def sanctioned(self) -> bool:
        return self.handling in self.SANCTIONS
