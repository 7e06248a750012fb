"""Writes of the 清廉文化大讲堂, each audited (core.services.audited_save: the history row becomes a chained
audit row): a county's staff keep its 讲师团 and 宣讲团 rosters; a township's secretary, or its county's
staff, record the township's sessions, which village posts attended, the photos, and close a session
with its summary. A session is changed against the version its form was filled in against."""

from collections.abc import Collection, Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.services import audited_save, require, versioned_change
from core.states import require_step, take
from core.uploads import store_evidence
from core.versioning import CONFLICT, STALE, check_version
from villages.models import District, Township, Village

from .models import (
    Attendance,
    Audience,
    Lecturer,
    LectureSession,
    Post,
    SessionPhoto,
    Speaker,
    VillagePresence,
    records_for_township,
)

CLOSED_SESSION = _("The session is closed: it can no longer be changed.")
NOT_ON_THE_ROSTER = _("A speaker must be on the county's rosters and appointed on the day of the session.")
HELD_IN_THE_FUTURE = _("A session cannot be closed before its day.")
SUMMARIZE = _("Write the summary of the session.")
VILLAGE_OF_ANOTHER_TOWNSHIP = _("Only the township's own villages attend its sessions.")
APPOINTMENT_ENDED = _(
    "The appointment of %(name)s ended on %(date)s: they cannot speak at a session held after that day."
)
ENDS_BEFORE_APPOINTMENT = _("The appointment cannot end before it began (%(date)s).")
SPOKE_AFTER_THE_END = _("This member spoke at a session on %(date)s: the appointment cannot end before that day.")
SPOKE_BEFORE_THE_APPOINTMENT = _(
    "This member spoke at a session on %(date)s: the appointment cannot begin after that day."
)


def keeps_rosters(user: User, district_id: int) -> bool:
    """A county's staff keep its rosters (讲师团, 宣讲团)."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


@transaction.atomic
def lecturer_appoint(
    *,
    district: District,
    kind: str,
    name: str,
    unit: str,
    topics: str,
    appointed_on: date,
    ended_on: date | None,
    acting_user: User,
) -> Lecturer:
    """A member joins one of the county's rosters on the day of the appointment."""
    require(keeps_rosters(acting_user, district.pk))
    if ended_on is not None and ended_on < appointed_on:
        raise ValidationError({"ended_on": ENDS_BEFORE_APPOINTMENT % {"date": f"{appointed_on:%Y-%m-%d}"}})
    lecturer = Lecturer(
        district=district,
        kind=kind,
        name=name.strip(),
        unit=unit.strip(),
        topics=topics.strip(),
        appointed_on=appointed_on,
        ended_on=ended_on,
    )
    return audited_save(lecturer, acting_user)


def lecturer_version(lecturer: Lecturer) -> int:
    """The version a roster member's form is filled in against: its latest history row (every change of a
    member is an audited save, so a history row; the model needs no version column of its own)."""
    latest = lecturer.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return int(latest or 0)


def lecturer_check_version(lecturer: Lecturer, version: int | None) -> None:
    """A member's form filled in against an older version is refused before anything else (the conflict of
    core.versioning, the member described by roster and dates, never by name)."""
    current = lecturer_version(lecturer)
    if version is None or version == current:
        return
    record = lecturer.history.select_related("history_user").order_by("-history_id").first()
    state = f"{lecturer.get_kind_display()}，{lecturer.appointed_on:%Y-%m-%d}"
    if lecturer.ended_on:
        state += f" – {lecturer.ended_on:%Y-%m-%d}"
    params = {
        "what": str(_("roster member")),
        "state": state,
        "who": record.history_user if record and record.history_user else _("the system"),
        "when": f"{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}" if record else "—",
        "version": current,
    }
    raise ValidationError(STALE, code=CONFLICT, params=params)


def _locked_lecturer(lecturer: Lecturer, version: int | None, acting_user: User) -> Lecturer:
    locked = Lecturer.objects.select_for_update().get(pk=lecturer.pk)
    require(keeps_rosters(acting_user, locked.district_id))
    lecturer_check_version(locked, version)
    return locked


def _check_sessions_given(lecturer: Lecturer, appointed_on: date, ended_on: date | None) -> None:
    """The sessions a member spoke at stay within the appointment."""
    days = LectureSession.objects.filter(speaker_rows__lecturer=lecturer).values_list("held_on", flat=True)
    first, last = days.order_by("held_on").first(), days.order_by("-held_on").first()
    if first is not None and first < appointed_on:
        raise ValidationError({"appointed_on": SPOKE_BEFORE_THE_APPOINTMENT % {"date": f"{first:%Y-%m-%d}"}})
    if last is not None and ended_on is not None and ended_on < last:
        raise ValidationError({"ended_on": SPOKE_AFTER_THE_END % {"date": f"{last:%Y-%m-%d}"}})


@transaction.atomic
def lecturer_update(
    *,
    lecturer: Lecturer,
    version: int | None,
    unit: str,
    topics: str,
    appointed_on: date,
    acting_user: User,
) -> Lecturer:
    """The county's staff correct a member's unit and post, topics and appointment date (the name and the
    roster stay: another person is another member)."""
    lecturer = _locked_lecturer(lecturer, version, acting_user)
    if lecturer.ended_on is not None and lecturer.ended_on < appointed_on:
        raise ValidationError(
            {"appointed_on": ENDS_BEFORE_APPOINTMENT % {"date": f"{appointed_on:%Y-%m-%d}"}}, code="dates"
        )
    _check_sessions_given(lecturer, appointed_on, lecturer.ended_on)
    lecturer.unit, lecturer.topics, lecturer.appointed_on = unit.strip(), topics.strip(), appointed_on
    return audited_save(lecturer, acting_user)


@transaction.atomic
def lecturer_end(*, lecturer: Lecturer, version: int | None, ended_on: date, acting_user: User) -> Lecturer:
    """A member's appointment ends (or its end day is corrected): on or after the day it began and the last
    session the member spoke at. From the day after, they are not picked as a speaker."""
    lecturer = _locked_lecturer(lecturer, version, acting_user)
    if ended_on < lecturer.appointed_on:
        raise ValidationError(
            {"ended_on": ENDS_BEFORE_APPOINTMENT % {"date": f"{lecturer.appointed_on:%Y-%m-%d}"}}, code="dates"
        )
    _check_sessions_given(lecturer, lecturer.appointed_on, ended_on)
    lecturer.ended_on = ended_on
    return audited_save(lecturer, acting_user)


def _check_speakers(township: Township, held_on: date, speakers: Iterable[Lecturer]) -> None:
    for lecturer in speakers:
        ended = lecturer.ended_on
        if (
            lecturer.district_id == township.district_id
            and ended is not None
            and lecturer.appointed_on <= ended < held_on
        ):
            raise ValidationError(
                {"speakers": APPOINTMENT_ENDED % {"name": lecturer.name, "date": f"{ended:%Y-%m-%d}"}}
            )
        in_office = lecturer.appointed_on <= held_on and (lecturer.ended_on is None or held_on <= lecturer.ended_on)
        if lecturer.district_id != township.district_id or not in_office:
            raise ValidationError({"speakers": NOT_ON_THE_ROSTER})


def _set_speakers(session: LectureSession, speakers: Collection[Lecturer], acting_user: User) -> None:
    """The session's speakers become `speakers`: rows of those dropped are deleted (audited), new ones added."""
    wanted = {lecturer.pk for lecturer in speakers}
    for row in session.speaker_rows.all():
        if row.lecturer_id not in wanted:
            row._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
            row.delete()
    present = set(session.speaker_rows.values_list("lecturer_id", flat=True))
    for lecturer in speakers:
        if lecturer.pk not in present:
            audited_save(Speaker(session=session, lecturer=lecturer), acting_user)


def _set_attendance(session: LectureSession, attendance: Mapping[str, int], acting_user: User) -> None:
    """One row per audience category, changed only where its number changed."""
    rows = {row.category: row for row in session.attendance.all()}
    for category in Audience.values:
        people = attendance.get(category, 0)
        row = rows.get(category) or Attendance(session=session, category=category)
        if row.pk is None or row.people != people:
            row.people = people
            audited_save(row, acting_user)


@transaction.atomic
def session_record(
    *,
    township: Township,
    held_on: date,
    place: str,
    theme: str,
    speakers: Collection[Lecturer],
    online_reach: int,
    attendance: Mapping[str, int],
    acting_user: User,
) -> LectureSession:
    """A planned session of the township's 宣讲季 (its own secretary, or its county's staff)."""
    require(records_for_township(acting_user, township))
    _check_speakers(township, held_on, speakers)
    session = LectureSession(
        township=township,
        held_on=held_on,
        place=place.strip(),
        theme=theme.strip(),
        online_reach=online_reach,
        recorded_by=acting_user,
    )
    audited_save(session, acting_user)
    _set_speakers(session, speakers, acting_user)
    _set_attendance(session, attendance, acting_user)
    return session


def session_state(session: LectureSession) -> str:
    return str(session.get_status_display())


def session_check_version(session: LectureSession, version: int | None) -> None:
    """A form filled in against an older version of the session is refused before anything else."""
    check_version(session, version, what=str(_("session")), state=lambda: session_state(session))


def _locked(session: LectureSession, version: int | None, acting_user: User) -> LectureSession:
    """The session locked for the change, if the user records its township, it is still the version the
    form was filled in against, and not closed."""
    locked = LectureSession.objects.select_for_update().select_related("township").get(pk=session.pk)
    require(records_for_township(acting_user, locked.township))
    session_check_version(locked, version)
    if locked.is_closed:
        raise ValidationError(CLOSED_SESSION, code="wrong_status")
    return locked


@transaction.atomic
def session_update(
    *,
    session: LectureSession,
    version: int | None,
    held_on: date,
    place: str,
    theme: str,
    speakers: Collection[Lecturer],
    online_reach: int,
    attendance: Mapping[str, int],
    acting_user: User,
) -> LectureSession:
    """A planned session's day, place, theme, speakers, reach and attendance change."""
    session = _locked(session, version, acting_user)
    _check_speakers(session.township, held_on, speakers)
    versioned_change(
        session, acting_user, held_on=held_on, place=place.strip(), theme=theme.strip(), online_reach=online_reach
    )
    _set_speakers(session, speakers, acting_user)
    _set_attendance(session, attendance, acting_user)
    return session


@transaction.atomic
def presence_record(
    *, session: LectureSession, version: int | None, presences: Mapping[int, Collection[str]], acting_user: User
) -> LectureSession:
    """Which posts (书记, 主任, 村监会主任) of each of the township's villages attended: `presences` maps
    a village id to the posts present; a village not in it had none."""
    session = _locked(session, version, acting_user)
    own = set(Village.objects.filter(township_id=session.township_id).values_list("pk", flat=True))
    if not set(presences) <= own:
        raise ValidationError(VILLAGE_OF_ANOTHER_TOWNSHIP)
    rows = {row.village_id: row for row in session.presences.all()}
    for village_id in own:
        posts = presences.get(village_id, ())
        row = rows.get(village_id) or VillagePresence(session=session, village_id=village_id)
        present = {post: post in posts for post in Post.values}
        if row.pk is None and not any(present.values()):
            continue  # a village without anyone present needs no row
        if row.pk is None or any(getattr(row, post) != here for post, here in present.items()):
            for post, here in present.items():
                setattr(row, post, here)
            audited_save(row, acting_user)
    return versioned_change(session, acting_user)


@transaction.atomic
def session_close(*, session: LectureSession, version: int | None, summary: str, acting_user: User) -> LectureSession:
    """Held (办结): the summary is written and the day has come; the session now counts for the township's
    宣讲季 and for 两个全覆盖."""
    session = _locked(session, version, acting_user)
    require_step(acting_user, session.close)
    if not summary.strip():
        raise ValidationError({"summary": SUMMARIZE})
    if session.held_on > timezone.localdate():
        raise ValidationError(HELD_IN_THE_FUTURE)
    take(session.close)
    return versioned_change(session, acting_user, summary=summary.strip())


@transaction.atomic
def photos_attach(
    *, session: LectureSession, uploads: Iterable["UploadedFile[bytes]"], acting_user: User
) -> list[SessionPhoto]:
    """Photos of the session, before or after it is closed (they add to it and change nothing of it)."""
    session = LectureSession.objects.select_for_update().select_related("township").get(pk=session.pk)
    require(records_for_township(acting_user, session.township))
    stored = []
    for upload in uploads:
        photo = SessionPhoto(session=session)
        store_evidence(photo, upload, uploaded_by=acting_user)
        stored.append(photo)
    return stored
