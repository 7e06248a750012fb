"""Reads of petitions. Cases are for the petition office, commission staff and leaders (never with the
identity); a township secretary gets only its township's aggregate figures, and 404 on every case."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import PETITION_CASE_ROLES, Role
from lianjie.dates import same_day_last_year

from .models import ListedCase, Petition, PetitionRules
from .services import due_date

CASE_ROLES = tuple(PETITION_CASE_ROLES)
FIGURE_ROLES = (*CASE_ROLES, Role.TOWNSHIP_SECRETARY)
DONE = (Petition.Status.FED_BACK, Petition.Status.ARCHIVED, Petition.Status.TRANSFERRED)
# What a list may load: never the ciphertexts.
LIST_FIELDS_DEFERRED = ("identity_ciphertext", "contact_ciphertext", "identity_key")


def petitions_for(user) -> QuerySet[Petition]:
    if not user.is_authenticated or not user.has_role(*CASE_ROLES):
        return Petition.objects.none()
    return Petition.objects.defer(*LIST_FIELDS_DEFERRED).select_related(
        "township", "village", "petition_class", "handler"
    )


def get_petition_for(user, pk: int) -> Petition:
    """The case for the roles that handle cases; 404 for everyone else, as for a missing one."""
    return get_object_or_404(petitions_for(user), pk=pk)


def search(user, query: str) -> QuerySet[Petition]:
    """Search by what a list shows (summary, person complained about, village); never the identity."""
    petitions = petitions_for(user)
    if query:
        petitions = petitions.filter(
            Q(summary__contains=query) | Q(subject_name__contains=query) | Q(village__name__contains=query)
        )
    return petitions


def due_lists(user, today: date) -> tuple[list[Petition], list[Petition]]:
    """(due soon, overdue) among the open cases, by their next legal deadline."""
    soon_limit = today + timedelta(days=PetitionRules.current().due_soon_days)
    due_soon, overdue = [], []
    for petition in petitions_for(user).exclude(status__in=DONE):
        due = due_date(petition)
        if due is None:
            continue
        if due < today:
            overdue.append(petition)
        elif due <= soon_limit:
            due_soon.append(petition)
    return sorted(due_soon, key=due_date), sorted(overdue, key=due_date)


def leader_board(leader) -> QuerySet[ListedCase]:
    return (
        ListedCase.objects.filter(leader=leader)
        .select_related("petition__township")
        .order_by("struck_off_on", "deadline")
    )


def petition_counts_by_village(*, since: date, until: date) -> dict[int, int]:
    """village id → petitions received between the dates (for the revisit's 信访多发村)."""
    rows = (
        Petition.objects.filter(received_on__range=(since, until), village__isnull=False)
        .values("village")
        .annotate(n=Count("id"))
    )
    return {row["village"]: row["n"] for row in rows}


@dataclass
class CountLine:
    label: str
    value: int
    previous: int

    @property
    def change(self) -> Decimal | None:
        if not self.previous:
            return None
        return (Decimal(self.value - self.previous) * 100 / self.previous).quantize(Decimal("0.1"))


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _breakdown(now, before, field: str, labels: dict) -> list[CountLine]:
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
    by_township: list[CountLine]
    by_channel: list[CountLine]
    by_leader: list[tuple[str, int, int]]  # leader, listed, struck off
    listed: int
    struck_off: int
    closure_rate: Decimal | None
    concluded: int
    on_time: int
    on_time_rate: Decimal | None
    overdue: int


def figures(start: date, end: date, township=None) -> PetitionFigures:
    """Figures for petitions received between `start` and `end`, with 同比 against the same dates of the
    year before. Closure rate = listed cases struck off ÷ listed; on-time rate = cases concluded by
    their conclude-by date ÷ cases concluded."""
    scope = Petition.objects.filter(township=township) if township else Petition.objects.all()
    now = scope.filter(received_on__range=(start, end))
    before = scope.filter(received_on__range=(same_day_last_year(start), same_day_last_year(end)))
    listings = ListedCase.objects.filter(petition__in=now)
    concluded = now.filter(concluded_on__isnull=False)
    on_time = concluded.filter(concluded_on__lte=F("conclude_due")).count()
    leaders = get_user_model().objects.in_bulk(listings.values_list("leader", flat=True).distinct())
    by_leader = [
        (leaders[row["leader"]].full_name, row["n"], row["done"])
        for row in listings.values("leader").annotate(
            n=Count("id"), done=Count("id", filter=Q(struck_off_on__isnull=False))
        )
    ]
    struck_off = listings.filter(struck_off_on__isnull=False).count()
    return PetitionFigures(
        total=CountLine("信访总量", now.count(), before.count()),
        rural=CountLine("农村基层信访", now.filter(rural=True).count(), before.filter(rural=True).count()),
        by_class=_breakdown(now, before, "petition_class__name", {}),
        by_category=_breakdown(now, before, "category", dict(Petition.Category.choices)),
        by_township=_breakdown(now, before, "township__name", {}),
        by_channel=_breakdown(now, before, "channel", dict(Petition.Channel.choices)),
        by_leader=by_leader,
        listed=listings.count(),
        struck_off=struck_off,
        closure_rate=_rate(struck_off, listings.count()),
        concluded=concluded.count(),
        on_time=on_time,
        on_time_rate=_rate(on_time, concluded.count()),
        overdue=scope.filter(overdue_since__isnull=False).exclude(status__in=DONE).count(),
    )
