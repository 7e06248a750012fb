"""Reads of the 清廉文化大讲堂, always in the user's scope: sessions, rosters, photos; a township's
两个全覆盖 for a year (which posts of which villages attended a closed session, who is still missing); and
the county figures (townships whose 宣讲季 was held, 人次, online reach, coverage), each in a fixed
number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, Role
from villages.models import District, Township, Village

from .models import Attendance, Lecturer, LectureSession, Post, SessionPhoto, VillagePresence

# Who reads the sessions, rosters and figures: a township's secretary its own township's (and its county's
# rosters), the county's staff and leaders the county's, the city's roles every county of the city.
READERS = frozenset({Role.TOWNSHIP_SECRETARY} | DISTRICT_WIDE_ROLES | CITY_ROLES)
# Who records sessions (each for the townships records_for_township allows).
RECORDERS = frozenset({Role.TOWNSHIP_SECRETARY, Role.COMMISSION_STAFF})


def sessions_for(user: User) -> QuerySet[LectureSession]:
    return scope_to_user(
        LectureSession.objects.select_related("township"), user, roles=READERS, township_field="township_id"
    )


def get_session_for(user: User, pk: int) -> LectureSession:
    """The session if the user may read it; 404 for missing and foreign alike."""
    return get_object_or_404(sessions_for(user), pk=pk)


def photos_for(user: User) -> QuerySet[SessionPhoto]:
    return scope_to_user(SessionPhoto.objects.all(), user, roles=READERS, township_field="session__township_id")


def lecturers_for(user: User) -> QuerySet[Lecturer]:
    """The rosters of the user's county (a secretary: of the own township's county; the city: all its counties')."""
    return scope_to_user(Lecturer.objects.select_related("district"), user, roles=READERS, district_field="district_id")


def get_lecturer_for(user: User, pk: int) -> Lecturer:
    """A member of the user's county's rosters; 404 for missing and foreign alike."""
    return get_object_or_404(lecturers_for(user), pk=pk)


def roster(user: User) -> QuerySet[Lecturer]:
    """The rosters' members, each with the sessions they spoke at that the user reads."""
    return (
        lecturers_for(user)
        .prefetch_related(Prefetch("sessions", queryset=sessions_for(user).order_by("-held_on")))
        .order_by("district__code", "kind", "appointed_on", "id")
    )


def townships_for(user: User) -> QuerySet[Township]:
    return scope_to_user(
        Township.objects.select_related("district").order_by("district__code", "code"),
        user,
        roles=READERS,
        township_field="id",
    )


def get_township_for(user: User, code: str) -> Township:
    return get_object_or_404(townships_for(user), code=code)


def session_list(user: User, *, township: Township | None = None, year: int | None = None) -> QuerySet[LectureSession]:
    """The sessions the user reads, newest first, each with its speakers and its total attendance (人次)."""
    sessions = sessions_for(user).select_related("township__district")
    if township is not None:
        sessions = sessions.filter(township=township)
    if year is not None:
        sessions = sessions.filter(held_on__year=year)
    return sessions.prefetch_related(Prefetch("speakers", queryset=Lecturer.objects.order_by("name"))).annotate(
        people=Sum("attendance__people")
    )


def session_years(user: User, today: date) -> list[int]:
    years = set(sessions_for(user).values_list("held_on__year", flat=True))
    return sorted(years | {today.year}, reverse=True)


def closed_in(year: int) -> Q:
    """The sessions that count for a year: closed, held that year."""
    return Q(status=LectureSession.Status.CLOSED, held_on__year=year)


def season_held(township: Township, year: int) -> bool:
    """A township's 宣讲季 of the year is held when at least one of its sessions of the year is closed."""
    return LectureSession.objects.filter(closed_in(year), township=township).exists()


@dataclass(frozen=True)
class VillageCoverage:
    village: Village
    present: frozenset[str]  # the posts (Post values) that attended a closed session of the year

    @property
    def posts(self) -> list[tuple[str, bool]]:
        return [(str(post.label), post.value in self.present) for post in Post]

    @property
    def missing(self) -> list[str]:
        return [str(post.label) for post in Post if post.value not in self.present]


@dataclass(frozen=True)
class TownshipCoverage:
    """两个全覆盖 of a township's year: each village's three posts, present or still missing."""

    township: Township
    year: int
    villages: list[VillageCoverage]

    @property
    def posts_total(self) -> int:
        return len(self.villages) * len(Post)

    @property
    def posts_present(self) -> int:
        return sum(len(line.present) for line in self.villages)

    @property
    def villages_complete(self) -> int:
        return sum(not line.missing for line in self.villages)

    @property
    def complete(self) -> bool:
        return bool(self.villages) and self.villages_complete == len(self.villages)


def _present_posts(townships: QuerySet[Township] | list[Township], year: int) -> dict[int, set[str]]:
    """village id → the posts present at a closed session of the year (one query)."""
    rows = VillagePresence.objects.filter(
        session__township__in=townships, session__status=LectureSession.Status.CLOSED, session__held_on__year=year
    ).values_list("village_id", *Post.values)
    present: dict[int, set[str]] = defaultdict(set)
    for village_id, *flags in rows:
        present[village_id] |= {post for post, here in zip(Post.values, flags, strict=True) if here}
    return present


def _villages(townships: QuerySet[Township] | list[Township]) -> QuerySet[Village]:
    return Village.objects.filter(township__in=townships, active=True).order_by("code")


def township_coverage(township: Township, year: int) -> TownshipCoverage:
    present = _present_posts([township], year)
    villages = [VillageCoverage(village, frozenset(present.get(village.pk, ()))) for village in _villages([township])]
    return TownshipCoverage(township, year, villages)


def session_presences(session: LectureSession) -> list[VillageCoverage]:
    """Each of the township's villages with the posts present at this session."""
    present = {
        row.village_id: frozenset(post for post in Post.values if getattr(row, post)) for row in session.presences.all()
    }
    return [VillageCoverage(village, present.get(village.pk, frozenset())) for village in _villages([session.township])]


@dataclass(frozen=True)
class TownshipYear:
    township: Township
    sessions: int  # closed sessions of the year
    people: int  # 人次: the attendance of its closed sessions
    reach: int  # online reach of its closed sessions
    posts_present: int
    posts_total: int

    @property
    def held(self) -> bool:
        """The 宣讲季 was held (the rule of season_held, on the counted sessions)."""
        return self.sessions > 0


@dataclass(frozen=True)
class CountyYear:
    """A county's 清廉文化大讲堂 of the year: e.g. 9 of 10 townships held their 宣讲季, 1,900 人次, reach 10,000+."""

    district: District
    townships: list[TownshipYear]

    @property
    def held(self) -> int:
        return sum(line.held for line in self.townships)

    @property
    def sessions(self) -> int:
        return sum(line.sessions for line in self.townships)

    @property
    def people(self) -> int:
        return sum(line.people for line in self.townships)

    @property
    def reach(self) -> int:
        return sum(line.reach for line in self.townships)

    @property
    def posts_present(self) -> int:
        return sum(line.posts_present for line in self.townships)

    @property
    def posts_total(self) -> int:
        return sum(line.posts_total for line in self.townships)


def county_figures(user: User, year: int) -> list[CountyYear]:
    """The figures of every township the user reads, by county (five queries, however many townships)."""
    townships = list(townships_for(user))
    counted = LectureSession.objects.filter(closed_in(year), township__in=townships)
    held = {
        township_id: (sessions, reach)
        for township_id, sessions, reach in counted.values("township_id")
        .annotate(sessions=Count("id"), reach=Sum("online_reach"))
        .values_list("township_id", "sessions", "reach")
        .order_by()
    }
    people = dict(
        Attendance.objects.filter(session__in=counted)
        .values("session__township_id")
        .annotate(n=Sum("people"))
        .values_list("session__township_id", "n")
        .order_by()
    )
    present = _present_posts(townships, year)
    villages: dict[int, list[int]] = defaultdict(list)
    for village_id, township_id in _villages(townships).values_list("pk", "township_id"):
        villages[township_id].append(village_id)
    by_county: dict[int, CountyYear] = {}
    for township in townships:
        county = by_county.setdefault(township.district_id, CountyYear(township.district, []))
        own = villages[township.pk]
        sessions, reach = held.get(township.pk, (0, 0))
        county.townships.append(
            TownshipYear(
                township=township,
                sessions=sessions,
                people=people.get(township.pk) or 0,
                reach=reach,
                posts_present=sum(len(present.get(village_id, ())) for village_id in own),
                posts_total=len(own) * len(Post),
            )
        )
    return list(by_county.values())
