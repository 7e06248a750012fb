"""Reads of 五有一化 reporting, always in the user's scope: a township's secretary reads the own township's
reports, a county's staff and leaders their county's, the city's roles every county's of the city;
another's report or minutes file is 404, the same as a missing one. The public summary reads only what a
township marked public, and only the fields it published."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, INDEX_ROLES
from villages.models import District, Township

from .models import DecisionMinutes, MajorDecision, ReportingRule
from .services import Flags, flags_of, working_days_of

READERS = INDEX_ROLES | CITY_ROLES
# What the public page shows of a report: never the minutes, the review or who reported it.
PUBLIC_FIELDS = (
    "township__name",
    "township__code",
    "decided_on",
    "category",
    "subject",
    "amount",
    "public_where",
    "public_summary",
)


def decisions_for(user: User) -> QuerySet[MajorDecision]:
    """The reports the user may read, each with its township (and county) and its minutes counted."""
    rows = MajorDecision.objects.select_related("township__district").annotate(minutes_count=Count("minutes"))
    return scope_to_user(rows, user, roles=READERS, township_field="township_id")


def get_decision_for(user: User, pk: int) -> MajorDecision:
    """The report if the user may read it; 404 for missing and foreign alike."""
    return get_object_or_404(decisions_for(user).select_related("reported_by", "reviewed_by"), pk=pk)


def minutes_for(user: User) -> QuerySet[DecisionMinutes]:
    return scope_to_user(DecisionMinutes.objects.all(), user, roles=READERS, township_field="decision__township_id")


def minutes_of(decision: MajorDecision) -> list[DecisionMinutes]:
    return list(decision.minutes.select_related("uploaded_by").order_by("uploaded_at", "pk"))


def counties_for(user: User) -> QuerySet[District]:
    """The counties whose reports the user reads: the own one (a secretary's: the township's), or each of
    the own city's."""
    townships = scope_to_user(Township.objects.all(), user, roles=READERS, district_field="district_id")
    return District.objects.filter(pk__in=townships.values("district_id")).order_by("code")


def get_county_for(user: User, code: str) -> District:
    return get_object_or_404(counties_for(user), code=code)


def townships_for(user: User, district: District) -> QuerySet[Township]:
    """The county's townships the user reads (a secretary: the own only)."""
    townships = scope_to_user(Township.objects.filter(district=district), user, roles=READERS, township_field="id")
    return townships.order_by("code")


def decisions_of_year(user: User, district: District, year: int) -> QuerySet[MajorDecision]:
    """The county's reports of the year the user reads, by township and number."""
    rows = decisions_for(user).filter(township__district=district, year=year)
    return rows.order_by("township__code", "number")


def with_flags(decisions: QuerySet[MajorDecision], today: date) -> list[tuple[MajorDecision, Flags]]:
    return [(decision, flags_of(decision, today)) for decision in decisions]


def decision_years(user: User, district: District) -> list[int]:
    rows = decisions_for(user).filter(township__district=district).order_by("-year").values_list("year", flat=True)
    return list(dict.fromkeys(rows))


def working_days(district: District) -> int:
    return working_days_of(district.pk)


def county_rule(district: District) -> ReportingRule | None:
    return ReportingRule.objects.filter(district=district).first()


@dataclass
class TownshipFigures:
    """A township's reports of a year: how many, late, incomplete, returned (now), made public, and the
    amount they decided on."""

    township: Township
    reports: int = 0
    late: int = 0
    incomplete: int = 0
    returned: int = 0
    made_public: int = 0
    amount: Decimal = field(default_factory=Decimal)


def figures(user: User, district: District, year: int, today: date) -> list[TownshipFigures]:
    """Every township of the county the user reads, with its figures (zeros where it reported nothing);
    two queries whatever the county's size. Incomplete as services.missing_parts says."""
    lines = {township.pk: TownshipFigures(township) for township in townships_for(user, district)}
    for decision, flags in with_flags(decisions_of_year(user, district, year), today):
        line = lines.get(decision.township_id)
        if line is None:
            continue
        line.reports += 1
        line.late += flags.late
        line.incomplete += flags.incomplete
        line.returned += decision.status == MajorDecision.Status.RETURNED
        line.made_public += decision.made_public
        line.amount += decision.amount or Decimal(0)
    return list(lines.values())


def returned_to(user: User) -> QuerySet[MajorDecision]:
    """The to-do of a secretary: the own township's reports returned to be completed."""
    return decisions_for(user).filter(status=MajorDecision.Status.RETURNED).order_by("reviewed_at", "pk")


def awaiting_review(user: User) -> QuerySet[MajorDecision]:
    """The to-do of a county's staff: the county's reports awaiting review, the late ones first."""
    return decisions_for(user).filter(status=MajorDecision.Status.REPORTED).order_by("-late", "reported_at", "pk")


# --- The public summary -------------------------------------------------------------------------------------


def public_decisions() -> QuerySet[MajorDecision]:
    return MajorDecision.objects.filter(made_public=True)


def public_years() -> list[tuple[District, list[int]]]:
    """The counties with reports made public, each with its years, newest first (two queries)."""
    pairs = public_decisions().values_list("township__district_id", "year").distinct()
    years: dict[int, set[int]] = {}
    for district_id, year in pairs:
        years.setdefault(district_id, set()).add(year)
    counties = District.objects.filter(pk__in=years).order_by("code")
    return [(county, sorted(years[county.pk], reverse=True)) for county in counties]


def get_public_county(code: str) -> District:
    return get_object_or_404(District, code=code)


def public_summary(district: District, year: int) -> list[dict[str, object]]:
    """The county's reports of the year marked public, as plain values of PUBLIC_FIELDS only."""
    rows = public_decisions().filter(township__district=district, year=year)
    values = list(rows.order_by("township__code", "decided_on", "number").values(*PUBLIC_FIELDS))
    for row in values:
        row["category"] = MajorDecision.Category(row["category"]).label
    return values
