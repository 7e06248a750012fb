"""清廉文化 (DESIGN.md section 11), part 1: the 清廉文化大讲堂 (文化育廉, 讲堂扬廉).

A county keeps two rosters, its 讲师团 (lecturers on 党纪条规 and 八项规定) and its 宣讲团 (storytellers);
each township holds its 宣讲季 as lecture sessions, planned and then closed with what happened: who
spoke, who listened (by category), how many read it online, photos and a summary. A closed session also
records which of each village's three posts (书记, 主任, 村监会主任) attended: 两个全覆盖 is every post
of every village of the township at a closed session in the year.
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
