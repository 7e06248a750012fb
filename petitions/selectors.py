"""Reads of petitions. Cases are for the petition office, commission staff and leaders of the case's own
county (never with the identity); a township secretary gets only its township's aggregate figures, the
city's staff and leaders the figures of every county of their city, and both 404 or 403 on every case."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, Q, QuerySet, When
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, PETITION_CASE_ROLES, Role
from core.dates import same_day_last_year
from villages.models import District, Township

from .calendar import add_working_days, overrides_between, working_days_between
from .models import ListedCase, Petition, PetitionClass, PetitionRules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CASE_ROLES = tuple(PETITION_CASE_ROLES)
# Aggregate figures: the county's case roles, a secretary (the own township) and the city (its counties).
FIGURE_ROLES = (*CASE_ROLES, Role.TOWNSHIP_SECRETARY, *CITY_ROLES)
DONE = (Petition.Status.FED_BACK, Petition.Status.ARCHIVED, Petition.Status.TRANSFERRED)
# What a list may load: never the ciphertexts.
LIST_FIELDS_DEFERRED = ("identity_ciphertext", "contact_ciphertext", "identity_key")


def counties_for(user: User) -> QuerySet[District]:
    """The counties a city role may narrow a page of figures to: those of its city; none for anyone else
    (a county's people read their own county only)."""
    if not user.is_authenticated or not user.has_role(*CITY_ROLES) or user.city_id is None:
        return District.objects.none()
    return District.objects.filter(city_id=user.city_id).order_by("code")


def petitions_for(user: User) -> QuerySet[Petition]:
    """The cases of the user's own county, for its petition office, staff and leaders; none for anyone
    else (the city's roles read figures, never a case: confidential material stays in the county)."""
    petitions = Petition.objects.defer(*LIST_FIELDS_DEFERRED).select_related(
        "township", "village", "petition_class", "handler"
    )
    return scope_to_user(petitions, user, roles=CASE_ROLES, district_field="district_id")


def get_petition_for(user: User, pk: int) -> Petition:
    """The case for the roles that handle cases; 404 for everyone else, as for a missing one."""
    return get_object_or_404(petitions_for(user), pk=pk)


def search(user: User, query: str) -> QuerySet[Petition]:
    """Search by what a list shows (summary, person complained about, village); never the identity."""
    petitions = petitions_for(user)
    if query:
        petitions = petitions.filter(
            Q(summary__contains=query) | Q(subject_name__contains=query) | Q(village__name__contains=query)
        )
    return petitions


@dataclass(frozen=True)
class DueCase:
    """An open case by its next legal deadline, with the working days it is past it (overdue) or has left
    before it (due soon), on China's calendar (petitions.calendar)."""

    petition: Petition
    due: date
    working_days: int
    overdue: bool


def due_lists(user: User, today: date) -> tuple[list[DueCase], list[DueCase], list[Petition]]:
    """(due soon, overdue) among the open cases by their next legal deadline, "due soon" as the to-do page
    counts it (due_soon), each the earliest deadline first, which for the overdue is the most working days
    overdue first; and the cases still being handled past their class's target date (an internal clock:
    not overdue by law for that)."""
    soon = due_soon(today).by
    clocks = cases_by_clock(user, today=today, soon=soon)
    first = min((cast(date, case.next_legal_due) for case in clocks.overdue), default=today)
    overrides = overrides_between(first, soon)  # every day counted below, in one query

    def counted(petition: Petition, *, overdue: bool) -> DueCase:
        due = cast(date, petition.next_legal_due)  # a case on a clock has a deadline
        start, end = (due, today) if overdue else (today, due)
        return DueCase(petition, due, working_days_between(start, end, overrides), overdue)

    past_target = petitions_for(user).filter(concluded_on__isnull=True, target_due__lt=today).exclude(status__in=DONE)
    return (
        [counted(petition, overdue=False) for petition in clocks.due_soon],
        [counted(petition, overdue=True) for petition in clocks.overdue],
        list(past_target.order_by("target_due")),
    )


def leader_board(leader: User) -> QuerySet[ListedCase]:
    """The leader's listed cases (包案) of the own county."""
    if leader.district_id is None:
        return ListedCase.objects.none()
    return (
        ListedCase.objects.filter(leader=leader, petition__district_id=leader.district_id)
        .select_related("petition__township")
        .order_by("struck_off_on", "deadline")
    )


def petition_counts_by_village(*, since: date, until: date, district: District | None = None) -> dict[int, int]:
    """village id → the county's petitions (every county's without one) received between the dates (for
    the revisit's 信访多发村)."""
    petitions = Petition.objects.filter(district=district) if district else Petition.objects.all()
    rows = (
        petitions.filter(received_on__range=(since, until), village__isnull=False)
        .values("village")
        .annotate(n=Count("id"))
    )
    return {row["village"]: row["n"] for row in rows}


@dataclass
class CountLine:
    label: "StrOrPromise"  # a choice's lazy label, or a name
    value: int
    previous: int

    @property
    def change(self) -> Decimal | None:
        if not self.previous:
            return None
        return (Decimal(self.value - self.previous) * 100 / self.previous).quantize(Decimal("0.1"))


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class TargetLine:
    label: str
    concluded: int
    on_target: int

    @property
    def rate(self) -> Decimal | None:
        return _rate(self.on_target, self.concluded)


def _breakdown(
    now: QuerySet[Petition], before: QuerySet[Petition], field: str, labels: dict[str, "StrOrPromise"]
) -> list[CountLine]:
    counts_now = dict(now.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    counts_before = dict(before.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    keys = sorted(set(counts_now) | set(counts_before), key=lambda key: str(key))
    return [
        CountLine(labels.get(key, str(key) if key else "—"), counts_now.get(key, 0), counts_before.get(key, 0))
        for key in keys
    ]


@dataclass
class PetitionFigures:
    total: CountLine
    rural: CountLine
    by_class: list[CountLine]
    by_category: list[CountLine]
    by_township: list[CountLine]  # by division code; named with the county when there are several
    by_county: list[CountLine]  # by division code (the city reads several)
    by_channel: list[CountLine]
    by_leader: list[tuple[str, int, int]]  # leader, listings open in the period, struck off in it
    # Listed cases by their own dates. `listed`: open at any time in the period (listed before its end, not
    # struck off before its start), the closure rate's whole; `newly_listed`: listed in the period.
    listed: int
    newly_listed: int
    struck_off: int  # struck off in the period
    closure_rate: Decimal | None
    concluded: int
    on_time: int
    on_time_rate: Decimal | None
    on_target_by_class: list[TargetLine]
    overdue: int


def _on_target_by_class(concluded: QuerySet[Petition]) -> list[TargetLine]:
    """Every 五字 class: its cases concluded, and those concluded by their class's target date."""
    counts = {
        row["petition_class"]: row
        for row in concluded.values("petition_class").annotate(
            n=Count("id"), on_target=Count("id", filter=Q(concluded_on__lte=F("target_due")))
        )
    }
    empty = {"n": 0, "on_target": 0}
    return [
        TargetLine(line.name, counts.get(line.pk, empty)["n"], counts.get(line.pk, empty)["on_target"])
        for line in PetitionClass.objects.all()
    ]


def _township_names(now: QuerySet[Petition], before: QuerySet[Petition]) -> dict[str, "StrOrPromise"]:
    """township code → its name, with its county's when the figures count several counties' (names repeat
    across counties)."""
    counted = Q(pk__in=now.values("township")) | Q(pk__in=before.values("township"))
    townships = Township.objects.filter(counted).select_related("district")
    several = len({township.district_id for township in townships}) > 1
    return {
        township.code: f"{township.district.name} · {township.name}" if several else township.name
        for township in townships
    }


def _county_names(now: QuerySet[Petition], before: QuerySet[Petition]) -> dict[str, "StrOrPromise"]:
    counted = Q(pk__in=now.values("district")) | Q(pk__in=before.values("district"))
    return dict(District.objects.filter(counted).values_list("code", "name"))


def figures_scope(user: User, county: District | None = None) -> QuerySet[Petition]:
    """The petitions whose aggregate figures the user reads: the own township's for a secretary, the own
    county's for its petition office, staff and leaders, every county's of the city (or `county`, one of
    them) for the city's roles."""
    petitions = scope_to_user(
        Petition.objects.all(), user, roles=FIGURE_ROLES, township_field="township_id", district_field="district_id"
    )
    return petitions.filter(district=county) if county else petitions


def figures(
    start: date, end: date, township: Township | None = None, *, petitions: QuerySet[Petition] | None = None
) -> PetitionFigures:
    """Figures for `petitions` (a user's figures_scope; every case when None, for a township's report)
    received between `start` and `end`, with 同比 against the same dates of the year before; on-time rate
    = cases concluded by their conclude-by date ÷ cases concluded, on-target rate (by class) = cases
    concluded by their class's target date ÷ cases concluded.

    Listed cases count by their own dates, whenever the petition came in, so that a backlog case (积案)
    counts in the year it is struck off: closure rate = listings struck off in the period ÷ listings open
    at any time in it (listed before its end and not struck off before its start)."""
    petitions = Petition.objects.all() if petitions is None else petitions
    scope = petitions.filter(township=township) if township else petitions
    now = scope.filter(received_on__range=(start, end))
    before = scope.filter(received_on__range=(same_day_last_year(start), same_day_last_year(end)))
    open_listings = ListedCase.objects.filter(petition__in=scope, listed_on__lte=end).exclude(struck_off_on__lt=start)
    struck_off_now = Q(struck_off_on__range=(start, end))
    concluded = now.filter(concluded_on__isnull=False)
    on_time = concluded.filter(concluded_on__lte=F("conclude_due")).count()
    leaders = get_user_model().objects.in_bulk(open_listings.values_list("leader", flat=True).distinct())
    by_leader = [
        (leaders[row["leader"]].full_name, row["n"], row["done"])
        for row in open_listings.values("leader").annotate(n=Count("id"), done=Count("id", filter=struck_off_now))
    ]
    struck_off = open_listings.filter(struck_off_now).count()
    return PetitionFigures(
        total=CountLine("信访总量", now.count(), before.count()),
        rural=CountLine("农村基层信访", now.filter(rural=True).count(), before.filter(rural=True).count()),
        by_class=_breakdown(now, before, "petition_class__name", {}),
        by_category=_breakdown(now, before, "category", dict(Petition.Category.choices)),
        by_township=_breakdown(now, before, "township__code", _township_names(now, before)),
        by_county=_breakdown(now, before, "district__code", _county_names(now, before)),
        by_channel=_breakdown(now, before, "channel", dict(Petition.Channel.choices)),
        by_leader=by_leader,
        listed=open_listings.count(),
        newly_listed=open_listings.filter(listed_on__gte=start).count(),
        struck_off=struck_off,
        closure_rate=_rate(struck_off, open_listings.count()),
        concluded=concluded.count(),
        on_time=on_time,
        on_time_rate=_rate(on_time, concluded.count()),
        on_target_by_class=_on_target_by_class(concluded),
        overdue=scope.filter(overdue_since__isnull=False).exclude(status__in=DONE).count(),
    )


# --- What waits for the user (the to-do page) -----------------------------------------------------------


@dataclass(frozen=True)
class DueSoon:
    """'Due soon': the legal clocks count working days, so the window does too."""

    working_days: int  # PetitionRules.due_soon_days
    by: date  # the last day due soon: that many working days after today


def due_soon(today: date) -> DueSoon:
    days = PetitionRules.current().due_soon_days
    return DueSoon(days, add_working_days(today, days))


@dataclass(frozen=True)
class CaseClocks:
    overdue: list[Petition]  # past their next legal deadline
    due_soon: list[Petition]  # due by the last day due soon


def cases_by_clock(user: User, *, today: date, soon: date) -> CaseClocks:
    """The open cases past their next legal deadline and those due by `soon`, each the earliest due first."""
    dated = sorted(
        (due, petition.pk, petition)
        for petition in petitions_for(user).exclude(status__in=DONE)
        if (due := petition.next_legal_due) is not None and due <= soon
    )
    return CaseClocks(
        [petition for due, _pk, petition in dated if due < today],
        [petition for due, _pk, petition in dated if due >= today],
    )


def petitioners_to_tell(user: User) -> QuerySet[Petition]:
    """Named cases whose petitioner is still to be told: of the acceptance (being handled, not told yet)
    or of the result (concluded, not yet fed back); `tell_by` is that clock's date, the earliest first."""
    being_handled = (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)
    return (
        petitions_for(user)
        .filter(named=True)
        .filter(Q(status__in=being_handled, notified_on__isnull=True) | Q(status=Petition.Status.CONCLUDED))
        .annotate(tell_by=Case(When(status=Petition.Status.CONCLUDED, then=F("feedback_due")), default=F("notify_due")))
        .order_by("tell_by", "id")
    )


def cases_to_extend(user: User, *, soon: date) -> QuerySet[Petition]:
    """Cases being handled and never extended whose time to conclude ends by `soon` or has passed: a
    leader may approve their one extension."""
    being_handled = (Petition.Status.ACCEPTED, Petition.Status.IN_PROGRESS)
    return (
        petitions_for(user)
        .filter(status__in=being_handled, extension_days=0, conclude_due__lte=soon)
        .order_by("conclude_due", "id")
    )


def listed_cases_due(leader: User, *, soon: date) -> QuerySet[ListedCase]:
    """The leader's listed cases (包案) not struck off whose deadline is by `soon` or has passed."""
    return leader_board(leader).filter(struck_off_on__isnull=True, deadline__lte=soon).order_by("deadline", "id")


# --- The city's comparison of its counties (cities.selectors.county_comparison) --------------------------


@dataclass(frozen=True)
class CountyPetitionCounts:
    received: int  # petitions received in the year
    received_before: int  # in the year before (同比)
    rural: int  # of them rural grassroots (农村基层)
    rural_before: int
    listed: int  # listed cases (挂牌督办) open at any time in the year, as figures() counts them
    struck_off: int  # of them struck off (销号) in the year


def petition_counts_by_district(year: int, district_ids: list[int] | None = None) -> dict[int, CountyPetitionCounts]:
    """district id → the county's petitions of `year` and of the year before, and its listed cases, in two
    queries however many counties (a county with none is missing)."""
    start, end, last_year = date(year, 1, 1), date(year, 12, 31), date(year - 1, 1, 1)
    petitions = Petition.objects.filter(received_on__range=(last_year, end))
    listings = ListedCase.objects.filter(listed_on__lte=end).exclude(struck_off_on__lt=start)
    if district_ids is not None:
        petitions = petitions.filter(district_id__in=district_ids)
        listings = listings.filter(petition__district_id__in=district_ids)
    this_year, rural = Q(received_on__gte=start), Q(rural=True)
    received = petitions.values("district_id").annotate(
        now=Count("id", filter=this_year),
        before=Count("id", filter=~this_year),
        rural_now=Count("id", filter=this_year & rural),
        rural_before=Count("id", filter=~this_year & rural),
    )
    listed = listings.values("petition__district_id").annotate(
        n=Count("id"), struck_off=Count("id", filter=Q(struck_off_on__range=(start, end)))
    )
    listed_by_district = {row["petition__district_id"]: row for row in listed.order_by()}
    counts = {}
    for row in received.order_by():
        listing = listed_by_district.pop(row["district_id"], {"n": 0, "struck_off": 0})
        counts[row["district_id"]] = CountyPetitionCounts(
            row["now"], row["before"], row["rural_now"], row["rural_before"], listing["n"], listing["struck_off"]
        )
    for district_id, listing in listed_by_district.items():  # a backlog case (积案) listed, none received
        counts[district_id] = CountyPetitionCounts(0, 0, 0, 0, listing["n"], listing["struck_off"])
    return counts
