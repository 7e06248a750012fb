"""Reads of the use of results, always in the user's scope: a county's staff and leaders read their own
county's register, the city's roles every county's of the city; a township secretary reads the
eligibility list and the village pages of the own township only. Another county's (township's) object is
404, the same as a missing one.

Eligibility (评先评优) is computed, never stored: the village's current stars of the year (as 摘星 left
them, stars.selectors) and its grade in the county's published index of the year (scoring), against the
year's rule (the county's own, else the city-wide default, else the model's defaults)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, Role
from scoring.models import Grade, Round, VillageResult
from stars.models import DemonstrationNomination, StarApplication, Subject
from stars.selectors import DECIDED, stars_by_village, with_current_stars
from villages.models import District, Township, Village

from .models import AssessmentPoints, DemonstrationAward, EligibilityRule, Filing, MemberDepartment, ProjectFund
from .standard import DEFAULT_LOWEST_GRADE, DEFAULT_MIN_STARS

# The register (points, funds, 示范村, filings, exports): the county's staff and leaders, the city's roles.
REGISTER_READERS = DISTRICT_WIDE_ROLES | CITY_ROLES
# The eligibility list and a village's page: also a township secretary, for the own township's villages.
VILLAGE_READERS = REGISTER_READERS | {Role.TOWNSHIP_SECRETARY}

GRADE_ORDER = {grade: position for position, grade in enumerate(Grade.values)}  # A 0, B 1, C 2
STAR_LEVEL_NAMES = {
    1: gettext_lazy("one-star"),  # 一星级
    2: gettext_lazy("two-star"),
    3: gettext_lazy("three-star"),
    4: gettext_lazy("four-star"),
    5: gettext_lazy("five-star"),
}
NOT_RATED = gettext_lazy("not rated")  # 未评星
NO_INDEX = gettext_lazy("no published index")  # 无清廉指数
GRADE_NAME = gettext_lazy("grade %(grade)s")  # C档


# --- Counties and villages in scope ------------------------------------------------------------------


def counties_for(user: User) -> QuerySet[District]:
    """The counties whose register the user reads: the own one (a secretary's: the own township's), or
    each county of the own city."""
    townships = scope_to_user(Township.objects.all(), user, roles=VILLAGE_READERS, township_field="id")
    return District.objects.filter(pk__in=townships.values("district_id")).order_by("code")


def get_county_for(user: User, code: str) -> District:
    """The county by its code if the user reads it; 404 for missing and foreign alike."""
    return get_object_or_404(counties_for(user).select_related("city"), code=code)


def get_register_county_for(user: User, code: str) -> District:
    """The county if the user reads its whole register (not a secretary); 404 otherwise."""
    if not user.has_role(*REGISTER_READERS):
        raise Http404
    return get_county_for(user, code)


def villages_for(user: User) -> QuerySet[Village]:
    return scope_to_user(
        Village.objects.select_related("township__district"), user, roles=VILLAGE_READERS, township_field="township_id"
    )


def get_village_for(user: User, code: str) -> Village:
    return get_object_or_404(villages_for(user), code=code)


def townships_of(user: User, county: District) -> QuerySet[Township]:
    """The county's townships the user sees (a secretary: the own)."""
    townships = scope_to_user(Township.objects.all(), user, roles=VILLAGE_READERS, township_field="id")
    return townships.filter(district=county).order_by("code")


# --- Eligibility (评先评优) -------------------------------------------------------------------------------


def rule_for(district_id: int, year: int) -> EligibilityRule:
    """The rule a county's villages are judged by in `year`: its own, else the city-wide default of the
    year, else (nothing stored yet) the standard default, unsaved."""
    rule = (
        EligibilityRule.objects.filter(Q(district_id=district_id) | Q(district__isnull=True), year=year)
        .order_by(F("district_id").asc(nulls_last=True))
        .first()
    )
    return rule or EligibilityRule(year=year, min_stars=DEFAULT_MIN_STARS, lowest_grade=DEFAULT_LOWEST_GRADE)


def _year_rounds(year: int, district_ids: Iterable[int]) -> list[int]:
    """Each county's published index of the year: its yearly period's round before its half-years, the
    latest revision (as scoring.selectors.year_index_by_district chooses it)."""
    rounds = Round.objects.filter(
        status=Round.Status.PUBLISHED, period__year=year, period__district_id__in=list(district_ids)
    ).order_by("period__district_id", F("period__half").desc(nulls_first=True), "-revision")
    chosen: dict[int, int] = {}
    for round_id, district_id in rounds.values_list("pk", "period__district_id"):
        chosen.setdefault(district_id, round_id)
    return list(chosen.values())


def grades_by_village(year: int, villages: QuerySet[Village]) -> dict[int, str]:
    """village id → its grade in its county's published index of the year (two queries)."""
    district_ids = set(villages.values_list("township__district_id", flat=True).distinct())
    rounds = _year_rounds(year, district_ids)
    if not rounds:
        return {}
    results = VillageResult.objects.filter(round_id__in=rounds, village__in=villages.values("pk"))
    return dict(results.values_list("village_id", "grade"))


def star_level_name(stars: int) -> str:
    return str(STAR_LEVEL_NAMES.get(stars, stars))


def ineligible_reasons(rule: EligibilityRule, stars: int | None, grade: str | None) -> list[str]:
    """Why a village is not eligible under the rule (empty: eligible)."""
    reasons: list[str] = []
    if stars is None:
        if not rule.unrated_eligible:
            reasons.append(str(NOT_RATED))
    elif stars < rule.min_stars:
        reasons.append(star_level_name(stars))
    if grade is None:
        if not rule.unrated_eligible:
            reasons.append(str(NO_INDEX))
    elif GRADE_ORDER[grade] > GRADE_ORDER[rule.lowest_grade]:
        reasons.append(str(GRADE_NAME) % {"grade": grade})
    return reasons


@dataclass(frozen=True)
class Eligibility:
    village: Village
    stars: int | None
    grade: str | None
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str:
        return "、".join(self.reasons)


def eligibility_of(villages: QuerySet[Village], year: int, rule: EligibilityRule) -> list[Eligibility]:
    """Every village of `villages` (one county's) judged by the rule, in code order: three queries
    whatever their number."""
    villages = villages.order_by("code")
    stars = stars_by_village(year, villages.values_list("pk", flat=True))
    grades = grades_by_village(year, villages)
    lines = []
    for village in villages:
        star, grade = stars.get(village.pk), grades.get(village.pk)
        lines.append(Eligibility(village, star, grade, ineligible_reasons(rule, star, grade)))
    return lines


# --- The register of a year ---------------------------------------------------------------------------


def points_of(county: District, year: int) -> QuerySet[AssessmentPoints]:
    return AssessmentPoints.objects.filter(village__township__district=county, year=year).select_related(
        "village__township"
    )


def funds_of(county: District, year: int) -> QuerySet[ProjectFund]:
    return ProjectFund.objects.filter(village__township__district=county, year=year).select_related(
        "village__township", "department"
    )


def points_for(user: User) -> QuerySet[AssessmentPoints]:
    return scope_to_user(
        AssessmentPoints.objects.select_related("village__township__district"),
        user,
        roles=REGISTER_READERS,
        township_field="village__township_id",
    )


def funds_for(user: User) -> QuerySet[ProjectFund]:
    return scope_to_user(
        ProjectFund.objects.select_related("village__township__district", "department"),
        user,
        roles=REGISTER_READERS,
        township_field="village__township_id",
    )


def nominations_for(user: User) -> QuerySet[DemonstrationNomination]:
    return scope_to_user(
        DemonstrationNomination.objects.select_related(
            "application__village__township__district", "application__criteria"
        ),
        user,
        roles=REGISTER_READERS,
        township_field="application__village__township_id",
    )


def nominations_of(county: District) -> QuerySet[DemonstrationNomination]:
    """The county's 示范村 nominations with their awards, newest first."""
    return (
        DemonstrationNomination.objects.filter(application__village__township__district=county)
        .select_related("application__village__township", "application__criteria", "award")
        .order_by("-application__criteria__year", "application__village__code", "level")
    )


def filings_for(user: User) -> QuerySet[Filing]:
    return scope_to_user(
        Filing.objects.select_related("district", "department"),
        user,
        roles=REGISTER_READERS,
        district_field="district_id",
    )


def get_filing_for(user: User, pk: int) -> Filing:
    return get_object_or_404(filings_for(user).prefetch_related(_villages_prefetch()), pk=pk)


def _villages_prefetch() -> Prefetch:
    return Prefetch("villages", queryset=Village.objects.select_related("township").order_by("code"))


def filings_of(county: District) -> QuerySet[Filing]:
    return Filing.objects.filter(district=county).select_related("department").prefetch_related(_villages_prefetch())


def departments() -> QuerySet[MemberDepartment]:
    return MemberDepartment.objects.filter(active=True)


def register_years(county: District) -> list[int]:
    """The years the county's register has something in, newest first."""
    years: set[int] = set()
    years |= set(points_of_county(county).values_list("year", flat=True).distinct())
    years |= set(
        ProjectFund.objects.filter(village__township__district=county).values_list("year", flat=True).distinct()
    )
    years |= set(Filing.objects.filter(district=county).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def points_of_county(county: District) -> QuerySet[AssessmentPoints]:
    return AssessmentPoints.objects.filter(village__township__district=county)


# --- One department's uses (the export) ---------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentUses:
    department: MemberDepartment
    funds: list[ProjectFund]
    filings: dict[str, list[Filing]]  # by kind


def department_uses(county: District, department: MemberDepartment) -> DepartmentUses:
    funds = list(
        ProjectFund.objects.filter(village__township__district=county, department=department)
        .select_related("village__township")
        .order_by("-year", "village__code", "id")
    )
    by_kind: dict[str, list[Filing]] = {kind: [] for kind in Filing.Kind.values}
    for filing in filings_of(county).filter(department=department).order_by("-year", "number"):
        by_kind[filing.kind].append(filing)
    return DepartmentUses(department, funds, by_kind)


# --- A village's page: every use of its results over the years ---------------------------------------


@dataclass
class VillageYear:
    year: int
    stars: int | None = None
    grade: str | None = None
    reasons: list[str] = field(default_factory=list)
    points: list[AssessmentPoints] = field(default_factory=list)
    funds: list[ProjectFund] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def reason(self) -> str:
        return "、".join(self.reasons)

    @property
    def total_points(self) -> Decimal:
        return sum((line.points for line in self.points), Decimal("0"))


@dataclass(frozen=True)
class VillageUses:
    village: Village
    years: list[VillageYear]
    awards: list[DemonstrationNomination]
    filings: list[Filing]


def _village_grades(village: Village) -> dict[int, str]:
    """year → the village's grade in the county's published index of the year (the yearly period before
    its half-years, the latest revision)."""
    results = (
        VillageResult.objects.filter(village=village, round__status=Round.Status.PUBLISHED)
        .order_by("round__period__year", F("round__period__half").desc(nulls_first=True), "-round__revision")
        .values_list("round__period__year", "grade")
    )
    grades: dict[int, str] = {}
    for year, grade in results:
        grades.setdefault(year, grade)
    return grades


def village_uses(village: Village) -> VillageUses:
    """The village's stars, grade and eligibility per year, its points and funds, its 示范村 nominations
    with their awards, and the filings naming it; a fixed number of queries."""
    ratings = with_current_stars(
        StarApplication.objects.filter(village=village, subject=Subject.VILLAGE, status__in=DECIDED)
    ).values_list("criteria__year", "stars")
    stars = dict(ratings)
    grades = _village_grades(village)
    by_year: dict[int, VillageYear] = defaultdict(lambda: VillageYear(0))
    for entry in AssessmentPoints.objects.filter(village=village).order_by("assessment"):
        by_year[entry.year].points.append(entry)
    for fund in ProjectFund.objects.filter(village=village).select_related("department").order_by("decided_on"):
        by_year[fund.year].funds.append(fund)
    years = sorted(set(stars) | set(grades) | set(by_year), reverse=True)
    district_id = village.township.district_id
    rules = {
        rule.year: rule
        for rule in EligibilityRule.objects.filter(
            Q(district_id=district_id) | Q(district__isnull=True), year__in=years
        ).order_by(F("district_id").asc(nulls_first=True))  # the county's own last: it wins
    }
    lines = []
    for year in years:
        line = by_year[year]
        line.year, line.stars, line.grade = year, stars.get(year), grades.get(year)
        rule = rules.get(year) or EligibilityRule(
            year=year, min_stars=DEFAULT_MIN_STARS, lowest_grade=DEFAULT_LOWEST_GRADE
        )
        line.reasons = ineligible_reasons(rule, line.stars, line.grade)
        lines.append(line)
    awards = list(
        DemonstrationNomination.objects.filter(application__village=village)
        .select_related("application__criteria", "award")
        .order_by("-application__criteria__year", "level")
    )
    filings = list(Filing.objects.filter(villages=village).select_related("department").order_by("-filed_on", "-id"))
    return VillageUses(village, lines, awards, filings)


def award_state(award: DemonstrationAward) -> str:
    """The award as it stands, in words (for the conflict a stale edit meets)."""
    parts = [str(award.get_status_display())]
    if award.reward_amount is not None:
        parts.append(_("reward %(amount)s yuan") % {"amount": award.reward_amount})
    return "，".join(parts)
