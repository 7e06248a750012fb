"""Reads of the 典型案例通报, always in the user's scope: a county's staff and leaders read its bulletins
(drafts too), a township's secretary the issued ones of the own county; the persons handled a draft may
take its cases from (never with their names: a bulletin's pages show none); the prefilled anonymised post
and handling of a case; and which townships held their 通报会, per bulletin and per year.

Nothing here reads a person's name: `candidates_for` defers it, and a case is shown by its own texts."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import DISTRICT_WIDE_ROLES, Role
from inspections.models import PersonHandled
from inspections.selectors import persons_for
from villages.models import Township, Village

from .models import BulletinCase, BulletinMeeting, CaseBulletin

READERS = frozenset(DISTRICT_WIDE_ROLES | {Role.TOWNSHIP_SECRETARY})
COMPOSERS = frozenset({Role.COMMISSION_STAFF})
# Who records a township's 通报会: its own secretary, or its county's staff.
MEETING_RECORDERS = frozenset({Role.TOWNSHIP_SECRETARY, Role.COMMISSION_STAFF})
# Who follows which townships held it (per bulletin and per year): the county's staff and leaders.
FOLLOWERS = DISTRICT_WIDE_ROLES

# The handling as a bulletin says it, in Chinese whatever the language of the screen (it is the bulletin's text).
HANDLING_TEXT: dict[str, str] = {
    PersonHandled.Handling.TALK: "给予谈话提醒",
    PersonHandled.Handling.CRITICISM: "给予批评教育",
    PersonHandled.Handling.ADMONITION: "给予诫勉",
    PersonHandled.Handling.ORGANISATIONAL: "给予组织处理",
    PersonHandled.Handling.PARTY_SANCTION: "给予党纪处分",
    PersonHandled.Handling.GOVERNMENT_SANCTION: "给予政务处分",
}
# A post that says its village itself ("村委会主任", "村监会主任"): "某村" is put before it unchanged.
_VILLAGE_BODIES = ("村委", "村监", "村民", "村务", "社区居委", "社区监")


def bulletins_for(user: User) -> QuerySet[CaseBulletin]:
    """The bulletins the user reads: the own county's, a secretary the issued ones only."""
    bulletins = scope_to_user(
        CaseBulletin.objects.select_related("district"), user, roles=READERS, district_field="district_id"
    )
    if user.has_role(Role.TOWNSHIP_SECRETARY):
        bulletins = bulletins.filter(status=CaseBulletin.Status.ISSUED)
    return bulletins


def get_bulletin_for(user: User, pk: int) -> CaseBulletin:
    """The bulletin if the user reads it; 404 for missing and foreign alike (a draft, for a secretary)."""
    return get_object_or_404(bulletins_for(user), pk=pk)


def bulletin_list(user: User) -> QuerySet[CaseBulletin]:
    """The bulletins the user reads, drafts first then the newest issued, each with its numbers of cases
    and of meetings held."""
    return (
        bulletins_for(user)
        .annotate(case_count=Count("cases", distinct=True), meeting_count=Count("meetings", distinct=True))
        .order_by("status", "-issued_on", "-id")  # "draft" sorts before "issued"
    )


def bulletin_cases(bulletin: CaseBulletin) -> QuerySet[BulletinCase]:
    """The cases as the bulletin prints them (their texts only)."""
    return bulletin.cases.order_by("order", "id").only(
        "pk", "bulletin_id", "order", "post", "facts", "handling", "lesson"
    )


def case_sources(bulletin: CaseBulletin) -> dict[int, PersonHandled]:
    """case id → the person handled it is built from, for the staff's page (round, village, date; the name
    deferred, never read)."""
    persons = PersonHandled.objects.filter(pk__in=bulletin.cases.values("person_id")).defer("name")
    by_pk = {person.pk: person for person in persons.select_related("round", "village__township")}
    return {case_pk: by_pk[person_pk] for case_pk, person_pk in bulletin.cases.values_list("pk", "person_id")}


def get_case_for(user: User, pk: int) -> BulletinCase:
    """A case of a bulletin the user reads; 404 otherwise."""
    return get_object_or_404(BulletinCase.objects.select_related("bulletin"), pk=pk, bulletin__in=bulletins_for(user))


def candidates_for(user: User, bulletin: CaseBulletin, *, year: int | None = None) -> QuerySet[PersonHandled]:
    """The persons handled of the bulletin's county that the user sees (the county's staff and leaders), not
    yet a case of it, newest decision first; their names are not loaded."""
    persons = (
        persons_for(user)
        .filter(round__district_id=bulletin.district_id)
        .exclude(pk__in=bulletin.cases.values("person_id"))
        .select_related("round", "village__township")
        .defer("name")
        .order_by("-decided_on", "-id")
    )
    return persons.filter(decided_on__year=year) if year else persons


def candidate_years(user: User, bulletin: CaseBulletin) -> list[int]:
    dates = persons_for(user).filter(round__district_id=bulletin.district_id).dates("decided_on", "year", order="DESC")
    return [day.year for day in dates]


def anonymised_post(person: PersonHandled) -> str:
    """The post as a bulletin says it, naming neither the township nor the village: "某镇某村党支部书记"
    from "村党支部书记" of a village of a town; "某街道某社区…" in a subdistrict's community."""
    place = person.village.township
    township = "某街道" if place.kind == Township.Kind.SUBDISTRICT or place.name.endswith("街道") else "某镇"
    village = "某社区" if _is_community(person.village) else "某村"
    post = person.post.strip()
    if post.startswith(("村", "社区")) and not post.startswith(_VILLAGE_BODIES):
        post = post.removeprefix("社区").removeprefix("村")
    return f"{township}{village}{post}"


def _is_community(village: Village) -> bool:
    return village.name.endswith("社区")


def handling_text(person: PersonHandled) -> str:
    text = HANDLING_TEXT.get(person.handling, "")
    return f"{text}，并予立案审查" if person.case_filed else text


def case_draft(person: PersonHandled) -> dict[str, str]:
    """What a new case's form starts with: the anonymised post and the handling (the facts and the lesson
    are the staff's to write)."""
    return {"post": anonymised_post(person), "handling": handling_text(person)}


# --- 通报会: which townships held it ----------------------------------------------------------------------


@dataclass
class MeetingLine:
    township: Township
    meeting: BulletinMeeting | None


def county_townships(district_id: int) -> list[Township]:
    return list(Township.objects.filter(district_id=district_id).order_by("code"))


def bulletin_meetings(bulletin: CaseBulletin) -> list[MeetingLine]:
    """Each township of the bulletin's county with its meeting on the bulletin, or None (not held yet)."""
    held = {meeting.township_id: meeting for meeting in BulletinMeeting.objects.filter(bulletin=bulletin)}
    return [MeetingLine(township, held.get(township.pk)) for township in county_townships(bulletin.district_id)]


def own_meeting(user: User, bulletin: CaseBulletin) -> BulletinMeeting | None:
    if user.township_id is None:
        return None
    return BulletinMeeting.objects.filter(bulletin=bulletin, township_id=user.township_id).first()


@dataclass
class TownshipYear:
    township: Township
    meetings: list[BulletinMeeting | None]  # one per bulletin of the year, in the bulletins' order

    @property
    def held(self) -> int:
        return sum(meeting is not None for meeting in self.meetings)


@dataclass
class YearMeetings:
    year: int
    bulletins: list[CaseBulletin]
    townships: list[TownshipYear]

    @property
    def townships_all_held(self) -> int:
        return sum(line.held == len(self.bulletins) for line in self.townships) if self.bulletins else 0


def year_meetings(user: User, year: int) -> YearMeetings:
    """The county's bulletins issued in `year` and, for each township of the county, its meeting on each
    (None: not held). Three queries, whatever the numbers."""
    if not user.has_role(*FOLLOWERS) or user.district_id is None:
        return YearMeetings(year, [], [])
    bulletins = list(
        bulletins_for(user).filter(status=CaseBulletin.Status.ISSUED, issued_on__year=year).order_by("issued_on", "id")
    )
    held = {
        (meeting.bulletin_id, meeting.township_id): meeting
        for meeting in BulletinMeeting.objects.filter(bulletin__in=bulletins)
    }
    townships = [
        TownshipYear(township, [held.get((bulletin.pk, township.pk)) for bulletin in bulletins])
        for township in county_townships(user.district_id)
    ]
    return YearMeetings(year, bulletins, townships)


def meeting_years(user: User, today: date) -> list[int]:
    issued = bulletins_for(user).filter(issued_on__isnull=False).dates("issued_on", "year", order="DESC")
    return sorted({today.year, *(day.year for day in issued)}, reverse=True)
