"""清廉文化 (DESIGN.md section 11), part 1: the 清廉文化大讲堂 (文化育廉, 讲堂扬廉).

A county keeps two rosters, its 讲师团 (lecturers on 党纪条规 and 八项规定) and its 宣讲团 (storytellers);
each township holds its 宣讲季 as lecture sessions, planned and then closed with what happened: who
spoke, who listened (by category), how many read it online, photos and a summary. A closed session also
records which of each village's three posts (书记, 主任, 村监会主任) attended: 两个全覆盖 is every post
of every village of the township at a closed session in the year.

Part 2: the 十大评选 (townships nominate, staff shortlist, the public votes in a window, staff publish the
ten), the register of 清廉文化阵地, and the 典型案例通报 (anonymised bulletins composed from recorded
sanctions for 警示教育, and the township meetings that held them).
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from core.uploads import EvidenceFile

if TYPE_CHECKING:
    from accounts.models import User
    from villages.models import Township


class Lecturer(models.Model):  # 讲师团 / 宣讲团成员
    class Kind(models.TextChoices):
        LECTURER = "lecturer", _("lecturer (讲师团)")  # 党纪条规, 八项规定
        STORYTELLER = "storyteller", _("storyteller (宣讲团)")

    # A person's name stays out of the audit log: it records that the name was set, not what it is.
    AUDIT_CONFIDENTIAL = frozenset({"name"})

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("roster"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    unit = models.CharField(_("unit and post"), max_length=100, blank=True)
    topics = models.CharField(_("topics"), max_length=200, blank=True)
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("appointment ended on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "appointed_on", "id"]
        verbose_name = _("roster member")
        verbose_name_plural = _("roster members")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("appointed_on")),
                name="lecturer_ends_after_appointment",
            ),
        ]

    def __str__(self) -> str:
        # Never the name: this string reaches the audit log's summary and admin messages.
        return f"{self.get_kind_display()} #{self.pk}"


def records_for_township(user: "User", township: "Township") -> bool:
    """Who records a township's sessions: its own secretary, and the staff of its county (for any of the
    county's townships)."""
    if user.has_role(Role.TOWNSHIP_SECRETARY):
        return bool(user.township_id == township.pk)
    return bool(
        user.has_role(Role.COMMISSION_STAFF)
        and user.district_id is not None
        and user.district_id == township.district_id
    )


class Audience(models.TextChoices):  # 听讲对象
    CADRES = "cadres", _("township cadres of middle rank and above")  # 镇街中层以上干部
    SECRETARIES = "secretaries", _("village party secretaries")  # 村党支部书记
    DIRECTORS = "directors", _("village committee directors")  # 村(居)主任
    SUPERVISORS = "supervisors", _("village supervision committee chairs")  # 村监会主任
    OTHERS = "others", _("others")  # 其他


class LectureSession(models.Model):  # 清廉文化大讲堂
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")  # 计划
        CLOSED = "closed", _("held")  # 已举办（办结）

    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100)
    theme = models.CharField(_("theme"), max_length=200)
    speakers = models.ManyToManyField(Lecturer, through="Speaker", related_name="sessions", verbose_name=_("speakers"))
    online_reach = models.PositiveIntegerField(_("online reach"), default=0)  # e.g. 微信推文阅读量
    summary = models.TextField(_("summary"), blank=True)
    status = FSMField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED, protected=False)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: every change increments it
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("lecture session")
        verbose_name_plural = _("lecture sessions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(summary=""), name="lecture_session_closed_with_summary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.theme}"

    @property
    def is_closed(self) -> bool:
        return bool(self.status == self.Status.CLOSED)

    @transition(
        field=status,
        source=Status.PLANNED,
        target=Status.CLOSED,
        permission=lambda session, user: records_for_township(user, session.township),
    )
    def close(self) -> None:
        """Held, with its summary: from now on it counts for the 宣讲季 and 两个全覆盖."""


class Speaker(models.Model):  # 主讲（某场大讲堂的讲师或宣讲员）
    session = models.ForeignKey(LectureSession, on_delete=models.CASCADE, related_name="speaker_rows")
    lecturer = models.ForeignKey(Lecturer, on_delete=models.PROTECT, related_name="speeches")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "lecturer"], name="speaker_once_per_session")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.lecturer_id}"


class Attendance(models.Model):  # 听讲人数（按类别）
    session = models.ForeignKey(LectureSession, on_delete=models.CASCADE, related_name="attendance")
    category = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    people = models.PositiveIntegerField(_("attendance"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "category"]
        constraints = [
            models.UniqueConstraint(fields=["session", "category"], name="attendance_once_per_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.people}"


class Post(models.TextChoices):  # 两个全覆盖的三个岗位
    SECRETARY = "secretary", _("party secretary")  # 书记
    DIRECTOR = "director", _("committee director")  # 主任
    SUPERVISOR = "supervisor", _("supervision committee chair")  # 村监会主任


class VillagePresence(models.Model):  # 村三个岗位到场情况
    """Which of a village's three posts attended a session (one row per village the session recorded)."""

    session = models.ForeignKey(LectureSession, on_delete=models.CASCADE, related_name="presences")
    village = models.ForeignKey("villages.Village", on_delete=models.PROTECT, related_name="+")
    secretary = models.BooleanField(Post.SECRETARY.label, default=False)
    director = models.BooleanField(Post.DIRECTOR.label, default=False)
    supervisor = models.BooleanField(Post.SUPERVISOR.label, default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "village"], name="presence_once_per_village")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.village_id}"


class SessionPhoto(EvidenceFile):  # 大讲堂照片
    EVIDENCE_FOLDER = "lecture-photos"

    session = models.ForeignKey(LectureSession, on_delete=models.CASCADE, related_name="photos")
    history = HistoricalRecords()


class AwardCategory(models.TextChoices):  # 十大评选的三个类别
    PERSON = "person", _("clean-integrity person (清廉人物)")
    FAMILY_RULES = "family_rules", _("family precepts and rules (清廉家训家规)")
    STORY = "story", _("clean-integrity story (清廉故事)")


class AwardContest(models.Model):  # 十大评选（某区县某年）
    """One county's yearly 十大评选 across its three categories. Townships nominate while it is open;
    staff shortlist and set the public vote's window; after the window the counts are shown and staff
    publish the ten of each category with their stories."""

    class Status(models.TextChoices):
        NOMINATING = "nominating", _("taking nominations")  # 推荐中
        SHORTLISTED = "shortlisted", _("shortlisted, public vote")  # 入围公示投票
        PUBLISHED = "published", _("results published")  # 已公布

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=100)
    winners_per_category = models.PositiveSmallIntegerField(_("winners per category"), default=10)
    vote_opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    status = FSMField(_("status"), max_length=12, choices=Status.choices, default=Status.NOMINATING, protected=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "district"]
        verbose_name = _("top-ten contest")
        verbose_name_plural = _("top-ten contests")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="award_contest_once_per_county_year"),
            models.CheckConstraint(
                condition=Q(vote_opens_at__isnull=True)
                | Q(vote_closes_at__isnull=True)
                | Q(vote_closes_at__gt=models.F("vote_opens_at")),
                name="award_contest_window_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(status="nominating") | (Q(vote_opens_at__isnull=False) & Q(vote_closes_at__isnull=False)),
                name="award_contest_shortlisted_with_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Nomination(models.Model):  # 十大评选推荐对象
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("nominated")  # 已推荐
        SHORTLISTED = "shortlisted", _("shortlisted")  # 入围
        NOT_SHORTLISTED = "not_shortlisted", _("not shortlisted")  # 未入围

    contest = models.ForeignKey(AwardContest, on_delete=models.PROTECT, related_name="nominations")
    category = models.CharField(_("category"), max_length=12, choices=AwardCategory.choices)
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("nominating township"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A person's name, a family's motto or a story's title: published with the story when it wins.
    title = models.CharField(_("name or title"), max_length=100)
    story = models.TextField(_("story"))
    status = FSMField(_("status"), max_length=16, choices=Status.choices, default=Status.NOMINATED, protected=False)
    winner = models.BooleanField(_("among the ten"), default=False)
    votes = models.PositiveIntegerField(_("votes"), default=0)  # counted as each vote is cast (F() + 1)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominated_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["votes"])  # a vote is a figure, not a change to audit

    class Meta:
        ordering = ["contest", "category", "-votes", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(winner=True) | Q(status="shortlisted"), name="nomination_winner_shortlisted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.title}"


class NominationPhoto(EvidenceFile):  # 推荐对象照片
    EVIDENCE_FOLDER = "nomination-photos"

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    history = HistoricalRecords()


class Vote(models.Model):  # 群众投票（只存数字，不存身份）
    """One browser's vote in a category on a day. The browser is known only by a keyed hash of a random
    cookie (never its address or anything about the voter), so a vote is a figure that can be counted and
    checked for repeats, never traced to a person."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(AwardContest, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=12, choices=AwardCategory.choices)
    voter_key = models.CharField(max_length=64)  # HMAC of the browser's random ballot cookie
    voted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "category", "voter_key", "voted_on"], name="vote_once_per_category_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}/{self.category}/{self.voted_on}"


class CultureVenue(models.Model):  # 清廉文化阵地
    class Kind(models.TextChoices):
        GARDEN = "garden", _("integrity garden (廉园)")
        CORRIDOR = "corridor", _("integrity corridor (廉廊)")
        WALL = "wall", _("integrity wall (廉墙)")
        SQUARE = "square", _("square (广场)")
        PARK = "park", _("park (公园)")
        TRAIL = "trail", _("trail (步道)")
        HALL = "hall", _("exhibition hall (展馆)")
        OTHER = "other", _("other")

    village = models.ForeignKey(
        "villages.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="culture_venues"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    description = models.TextField(_("description"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["village", "opened_on", "id"]
        verbose_name = _("clean-culture venue")
        verbose_name_plural = _("clean-culture venues")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="culture_venue_coordinates_both_and_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VenuePhoto(EvidenceFile):  # 阵地照片
    EVIDENCE_FOLDER = "venue-photos"

    venue = models.ForeignKey(CultureVenue, on_delete=models.CASCADE, related_name="photos")
    history = HistoricalRecords()


class CaseBulletin(models.Model):  # 典型案例通报
    """An anonymised bulletin of typical cases for 警示教育, composed by a county's staff from sanctions
    recorded in inspections (`inspections.PersonHandled`). Each case says the post, what was done, the
    handling and the lesson, never a name: the service refuses any text that holds the name of the person
    the case is built from."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # 草稿
        ISSUED = "issued", _("issued")  # 已印发

    district = models.ForeignKey(
        "villages.District", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    foreword = models.TextField(_("foreword"), blank=True)
    status = FSMField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT, protected=False)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("case bulletin")
        verbose_name_plural = _("case bulletins")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_on__isnull=False), name="case_bulletin_issued_with_date"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BulletinCase(models.Model):  # 通报中的一个案例（匿名）
    bulletin = models.ForeignKey(CaseBulletin, on_delete=models.CASCADE, related_name="cases")
    # The sanction it is built from, for the staff only: the bulletin's text and PDF never carry its name.
    person = models.ForeignKey("inspections.PersonHandled", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    post = models.CharField(_("post (anonymised)"), max_length=100)  # e.g. 某镇某村党支部书记
    facts = models.TextField(_("what was done"))
    handling = models.TextField(_("handling"))
    lesson = models.TextField(_("lesson"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["bulletin", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "person"], name="bulletin_case_once_per_person")]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.order}"


class BulletinMeeting(models.Model):  # 乡镇召开通报会（警示教育）
    bulletin = models.ForeignKey(CaseBulletin, on_delete=models.PROTECT, related_name="meetings")
    township = models.ForeignKey(
        "villages.Township", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("bulletin meeting")
        verbose_name_plural = _("bulletin meetings")
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "township"], name="bulletin_meeting_once_per_township"),
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id}/{self.township_id} {self.held_on}"
