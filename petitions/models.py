"""Discipline petitions (涉纪信访), DESIGN.md section 6.

A petition is registered by the petition office, accepted or transferred, handled, concluded (属实 /
部分属实 / 不属实), the result fed back and archived, against legal clocks counted in China's working
days. It is classified by the "五字" method. The petitioner's identity and contact are stored only
encrypted (core.crypto) and read only through petitions.services, which audits every read.
Hard repeat cases are listed (挂牌) with a responsible leader and struck off (销号) with evidence.

A case belongs to the county (区/县) of the petition office that registered it, and never leaves it: its
townships, transfers, repeats and responsible leader are that county's. The time limits, the 五字 classes
and the working-day overrides are the installation's, the same for every county.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.roles import PETITION_CASE_ROLES, Role
from core.uploads import EvidenceFile


class WorkingDayOverride(models.Model):  # 工作日调整（本地覆盖表）
    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("e.g. 国庆节 or 国庆调休"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.working else '休息'}"


class PetitionRules(models.Model):  # 办理时限（数据，可调整）
    """The legal clocks, one row. Working days unless the name says days."""

    accept_working_days = models.PositiveSmallIntegerField(_("accept or transfer within (working days)"), default=5)
    notify_working_days = models.PositiveSmallIntegerField(
        _("tell a named petitioner of acceptance within (working days)"), default=15
    )
    conclude_days = models.PositiveSmallIntegerField(_("conclude within (days of acceptance)"), default=60)
    extension_max_days = models.PositiveSmallIntegerField(_("longest extension (days, once)"), default=30)
    feedback_working_days = models.PositiveSmallIntegerField(
        _("feed the result back within (working days of conclusion)"), default=15
    )
    due_soon_days = models.PositiveSmallIntegerField(_("'due soon' within (days)"), default=3)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("petition time limits")
        verbose_name_plural = _("petition time limits")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "PetitionRules":
        # The defaults until the administrator saves a row: reading never writes.
        return cls.objects.order_by("pk").first() or cls()


class PetitionClass(models.Model):  # “五字”分类
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=20)
    target_days = models.PositiveSmallIntegerField(_("target handling time (days)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("petition class")
        verbose_name_plural = _("petition classes")

    def __str__(self) -> str:
        return self.name


def handles_cases(user) -> bool:
    """The petition office registers, accepts, handles, concludes and archives cases, and alone reads who
    petitioned (三员分立 keeps the administrators out)."""
    return user.has_role(Role.PETITION_OFFICER)


def of_its_county(user, petition: "Petition") -> bool:
    """The user works for the county whose office registered the case (county roles only)."""
    return user.district_id is not None and user.district_id == petition.district_id


def handles_case(user, petition: "Petition") -> bool:
    """The case's own county's petition office handles it."""
    return handles_cases(user) and of_its_county(user, petition)


def _by_the_office(petition, user) -> bool:  # a transition's permission (core.states)
    return handles_case(user, petition)


class Petition(models.Model):  # 涉纪信访件
    class Channel(models.TextChoices):
        LETTER = "letter", _("letter (来信)")
        VISIT = "visit", _("visit (来访)")
        PHONE = "phone", _("phone (电话)")
        ONLINE = "online", _("online (网络)")
        HOTLINE = "12388", _("12388")
        # 主动下访: a matter received on a commission visit to a village and registered from it (visits.py).
        OUTREACH = "outreach", _("visit to the village (下访)")

    class Category(models.TextChoices):
        SANZI = "sanzi", _("collective funds, assets, resources (三资)")
        PROJECT = "project", _("projects (工程项目)")
        SUBSIDY = "subsidy", _("subsidies (惠农资金)")
        OPENNESS = "openness", _("village affairs openness (村务公开)")
        CONDUCT = "conduct", _("conduct (作风问题)")
        ELECTION = "election", _("elections (换届选举)")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        ACCEPTED = "accepted", _("accepted")
        TRANSFERRED = "transferred", _("transferred")
        IN_PROGRESS = "in_progress", _("in progress")
        CONCLUDED = "concluded", _("concluded")
        FED_BACK = "fed_back", _("feedback given")
        ARCHIVED = "archived", _("archived")

    class Disposal(models.TextChoices):
        TALK = "talk", _("talk or written inquiry (谈话函询)")
        VERIFY = "verify", _("preliminary verification (初步核实)")
        HOLD = "hold", _("held for later (暂存待查)")
        CLOSE = "close", _("closed (予以了结)")
        INVESTIGATE = "investigate", _("referred for investigation (移送审查调查)")

    class Conclusion(models.TextChoices):
        TRUE = "true", _("true (属实)")
        PARTLY = "partly", _("partly true (部分属实)")
        FALSE = "false", _("not true (不属实)")

    # Kept out of the audit log (检举控告工作规则 第四十七条): the log says that they were set or changed, by
    # whom and when, never their values. The ciphertexts never reach the history at all (see `history`).
    AUDIT_CONFIDENTIAL = frozenset({"uid", "identity_key", "subject_name", "summary", "result"})

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The county whose petition office registered the case: only that county's office, staff and leaders
    # see it (the city reads its figures, never the case).
    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    named = models.BooleanField(_("named (实名)"), default=False)
    # 信访人身份与联系方式：仅以 SM4-GCM 密文保存（core.crypto），读出必经 services 并留痕。
    identity_ciphertext = models.TextField(blank=True, editable=False)
    contact_ciphertext = models.TextField(blank=True, editable=False)
    identity_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    subject_name = models.CharField(_("person complained about"), max_length=50)
    subject_post = models.CharField(_("post"), max_length=50)
    subject_is_township_official = models.BooleanField(_("a township official"), default=False)
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="petitions"
    )
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    rural = models.BooleanField(_("rural grassroots (农村基层)"), default=True)
    category = models.CharField(_("subject"), max_length=10, choices=Category.choices)
    summary = models.TextField(_("summary"))
    petition_class = models.ForeignKey(
        PetitionClass, verbose_name=_("class (五字)"), null=True, blank=True, on_delete=models.PROTECT
    )
    disposal = models.CharField(_("disposal"), max_length=12, choices=Disposal.choices, blank=True)
    status = FSMField(_("status"), default=Status.REGISTERED, choices=Status.choices, protected=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("repeat of"), null=True, blank=True, on_delete=models.PROTECT, related_name="repeats"
    )
    transferred_to = models.CharField(_("transferred to"), max_length=100, blank=True)
    transferred_township = models.ForeignKey(
        "villages.Township",
        verbose_name=_("transferred to the township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_on = models.DateField(_("accepted or transferred on"), null=True, blank=True)
    notified_on = models.DateField(_("petitioner told on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=10, choices=Conclusion.choices, blank=True)
    result = models.TextField(_("handling result"), blank=True)
    fed_back_on = models.DateField(_("fed back on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accept_due = models.DateField(_("accept by"))
    notify_due = models.DateField(_("tell the petitioner by"), null=True, blank=True)
    conclude_due = models.DateField(_("conclude by"), null=True, blank=True)
    # The 五字 class's target: an internal clock beside the legal ones, never moved by an extension.
    target_due = models.DateField(_("class target date"), null=True, blank=True)
    feedback_due = models.DateField(_("feed back by"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Optimistic locking: every step moves it on, and a step filled in against an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Only what a list may show goes to the history: never the ciphertexts.
    history = HistoricalRecords(excluded_fields=["identity_ciphertext", "contact_ciphertext", "identity_key"])

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        constraints = [
            models.CheckConstraint(condition=Q(extension_days__lte=30), name="petition_extension_at_most_30"),
        ]

    def __str__(self) -> str:
        # Never the petitioner: this string reaches logs, the audit log and messages.
        return f"信访件 {self.pk} {self.received_on}"

    @transition(field=status, source=Status.REGISTERED, target=Status.ACCEPTED, permission=_by_the_office)
    def accept(self) -> None:
        """受理"""

    @transition(field=status, source=Status.REGISTERED, target=Status.TRANSFERRED, permission=_by_the_office)
    def transfer(self) -> None:
        """转办"""

    @transition(field=status, source=Status.ACCEPTED, target=Status.IN_PROGRESS, permission=_by_the_office)
    def start(self) -> None:
        """办理"""

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.CONCLUDED, permission=_by_the_office)
    def conclude(self) -> None:
        """办结"""

    @transition(field=status, source=Status.CONCLUDED, target=Status.FED_BACK, permission=_by_the_office)
    def feed_back(self) -> None:
        """反馈"""

    @transition(
        field=status, source=[Status.FED_BACK, Status.TRANSFERRED], target=Status.ARCHIVED, permission=_by_the_office
    )
    def archive(self) -> None:
        """归档"""

    @property
    def substantiated(self) -> bool:
        return self.conclusion in (self.Conclusion.TRUE, self.Conclusion.PARTLY)

    @property
    def next_legal_due(self) -> date | None:
        """The next legal deadline of the case in its state (None once nothing is due)."""
        if self.status == self.Status.REGISTERED:
            return self.accept_due
        if self.status in (self.Status.ACCEPTED, self.Status.IN_PROGRESS):
            if self.notify_due and not self.notified_on:
                return min(self.notify_due, self.conclude_due)
            return self.conclude_due
        if self.status == self.Status.CONCLUDED:
            return self.feedback_due
        return None

    @property
    def past_class_target(self) -> bool:
        """Concluded after its class's target date, or still open past it (not the legal 'overdue')."""
        if self.target_due is None:
            return False
        return (self.concluded_on or timezone.localdate()) > self.target_due


class PetitionStep(models.Model):  # 办理记录：谁、何时、意见
    class Action(models.TextChoices):
        REGISTER = "register", _("registered")
        LINK_REPEAT = "link_repeat", _("linked as a repeat")
        ACCEPT = "accept", _("accepted")
        TRANSFER = "transfer", _("transferred")
        NOTIFY = "notify", _("petitioner told")
        START = "start", _("in progress")
        EXTEND = "extend", _("extension approved")
        CONCLUDE = "conclude", _("concluded")
        FEED_BACK = "feed_back", _("feedback given")
        ARCHIVE = "archive", _("archived")
        LIST = "list", _("listed (挂牌)")
        STRIKE_OFF = "strike_off", _("struck off (销号)")

    # A step's opinion may be the case's result or its measures: kept out of the audit log, like the case's.
    AUDIT_CONFIDENTIAL = frozenset({"opinion"})

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    opinion = models.TextField(_("opinion"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("handling step")
        verbose_name_plural = _("handling steps")

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ListedCase(models.Model):  # 挂牌督办（包案）
    petition = models.OneToOneField(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="listing"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible leader (包案领导)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.CharField(_("responsible unit"), max_length=100)
    measures = models.TextField(_("measures"))
    deadline = models.DateField(_("deadline"))
    listed_on = models.DateField(_("listed on"))
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(_("resolution"), blank=True)
    verification = models.TextField(_("verification"), blank=True)
    struck_off_on = models.DateField(_("struck off on"), null=True, blank=True)
    struck_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("listed case")
        verbose_name_plural = _("listed cases")
        constraints = [
            models.CheckConstraint(
                condition=Q(struck_off_on__isnull=True) | (~Q(resolution="") & ~Q(verification="")),
                name="listed_case_struck_off_with_resolution",
            ),
        ]

    def __str__(self) -> str:
        return f"挂牌 {self.petition_id}"


class ListedCaseEvidence(EvidenceFile):  # 销号佐证材料
    EVIDENCE_FOLDER = "listed-case-evidence"

    listing = models.ForeignKey(ListedCase, on_delete=models.CASCADE, related_name="evidence")
    history = HistoricalRecords()


# --- 主动下访: the commission goes down to the villages to receive petitions ---------------------------------
# Kept in petitions, not culture (where DESIGN.md section 11 lists it): what is received is petition matter,
# confidential as petitions are, and the petition figures count it; petitions may not import culture.


def records_visits(user) -> bool:
    """The county's petition office, staff and leaders go down to the villages and record the visits; they
    see the summaries, as they see the cases'. A township secretary and the city read aggregate figures
    only: what villagers raise is petition matter (DESIGN.md sections 1 and 6)."""
    return user.has_role(*PETITION_CASE_ROLES)


def of_the_visits_county(user, visit: "Visit") -> bool:
    return user.district_id is not None and user.district_id == visit.district_id


class Visit(models.Model):  # 主动下访
    """A visit of the commission to a village to receive petitions: when, where and which officials went.
    No petitioner is ever named here: who raised an issue is recorded only if the issue is registered as
    a petition, encrypted, by the petition office."""

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    officials = models.CharField(
        _("who went"),
        max_length=300,
        help_text=_("The officials' names and units, e.g. 区纪委 王某、路桥街道纪工委 李某."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit to a village")
        verbose_name_plural = _("visits to villages")

    def __str__(self) -> str:
        return f"下访 {self.pk} {self.visited_on}"


class VisitIssue(models.Model):  # 下访收集的问题
    """One matter raised on a visit: its subject and a short summary, whether it was settled on the spot,
    and the petition it was registered as, if it was."""

    # Petition matter: the log says that a summary was set or changed, never what it says.
    AUDIT_CONFIDENTIAL = frozenset({"summary"})

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveSmallIntegerField(_("number"))
    category = models.CharField(_("subject"), max_length=10, choices=Petition.Category.choices)
    summary = models.CharField(_("short summary"), max_length=200)
    settled_on_spot = models.BooleanField(_("settled on the spot"), default=False)
    petition = models.OneToOneField(
        Petition,
        verbose_name=_("registered as the petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_issue",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "position"]
        verbose_name = _("issue received on a visit")
        verbose_name_plural = _("issues received on visits")
        constraints = [models.UniqueConstraint(fields=["visit", "position"], name="visit_issue_position_unique")]

    def __str__(self) -> str:
        # Never the summary: this string reaches the audit log.
        return f"下访问题 {self.visit_id}-{self.position}"
