"""Reads of the integrity index, always through the user's scope."""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, INDEX_ROLES
from core.history import StatusStep, status_steps
from villages.models import District, Township, Village

from .models import Diagnosis, Grade, Indicator, Pairing, Period, Rectification, Round, Scheme, Score, VillageResult

# Grade.values builds a new list on every call; the public page asks for it hundreds of times.
GRADES = tuple(Grade.values)

# Who reads the index's results: the county's staff and leaders, a secretary the own township's, and the
# city's staff and leaders every county of their city (reading only: every write is the county's).
INDEX_READERS = INDEX_ROLES | CITY_ROLES
# Who reads the rounds (list, page, grid, score sheet): the county's staff and leaders, the city's roles.
ROUND_READERS = DISTRICT_WIDE_ROLES | CITY_ROLES


def published_round(period: Period) -> Round | None:
    """The period's current published revision."""
    return period.rounds.filter(status=Round.Status.PUBLISHED).order_by("-revision").first()


def latest_published_round(district_id: int | None) -> Round | None:
    """The county's latest published round; None for no county."""
    if district_id is None:
        return None
    return (
        Round.objects.filter(status=Round.Status.PUBLISHED, period__district_id=district_id)
        .select_related("period__scheme")
        # The year's own round (no half) counts as later than its half-years, on every database.
        .order_by("-period__year", F("period__half").desc(nulls_first=True), "-revision")
        .first()
    )


def _period_key(period: Period) -> tuple[int, int]:
    return (period.year, period.half or 0)


def _earlier_published_rounds(round_: Round) -> QuerySet[Round]:
    """Published rounds of the county's earlier periods of the same kind (years or half-years), latest first."""
    period = round_.period
    earlier = Q(period__year__lt=period.year)
    if period.half:
        earlier |= Q(period__year=period.year, period__half__lt=period.half)
    return Round.objects.filter(
        earlier,
        status=Round.Status.PUBLISHED,
        period__district_id=period.district_id,
        period__half__isnull=period.half is None,
    ).order_by("-period__year", "-period__half", "-revision")


def previous_published_round(round_: Round) -> Round | None:
    """The published round of the period before this one, of the same kind (a year or a half-year)."""
    return _earlier_published_rounds(round_).select_related("period").first()


def results_for(user: User, round_: Round) -> QuerySet[VillageResult]:
    """A round's results the user may see."""
    return scope_to_user(
        VillageResult.objects.filter(round=round_).select_related("village__township"),
        user,
        township_field="village__township_id",
        roles=INDEX_READERS,
    )


def previous_totals(round_: Round, village_ids: Iterable[int]) -> dict[int, Decimal]:
    """village id → total in the previous published period, in one query."""
    previous = Subquery(_earlier_published_rounds(round_).values("pk")[:1])
    return dict(
        VillageResult.objects.filter(round=previous, village_id__in=village_ids).values_list("village_id", "total")
    )


def changes_since_previous(totals: dict[int, Decimal], previous: dict[int, Decimal]) -> dict[int, Decimal]:
    """village id → change of the total since the previous period (`previous_totals`), for the villages
    that had one: every page and report shows this figure from here."""
    return {village_id: total - previous[village_id] for village_id, total in totals.items() if village_id in previous}


def bottom_three(results: list[VillageResult]) -> list[VillageResult]:
    """The three lowest of a township by rank, with every village tied at the boundary (清廉问诊)."""
    worst_first = sorted(results, key=lambda result: result.township_rank, reverse=True)
    if not worst_first:
        return []
    cutoff = worst_first[min(2, len(worst_first) - 1)].township_rank
    return [result for result in worst_first if result.township_rank >= cutoff]


@dataclass
class IndicatorLine:
    indicator: Indicator
    points: Decimal | None
    lost: Decimal | None
    township_lost: Decimal | None
    district_lost: Decimal | None
    previous_lost: Decimal | None
    reason: str = ""


@dataclass
class CategoryBlock:
    name: str
    maximum: Decimal = Decimal("0")
    lost: Decimal = Decimal("0")
    township_lost: Decimal = Decimal("0")
    district_lost: Decimal = Decimal("0")
    previous_lost: Decimal | None = None
    lines: list[IndicatorLine] = field(default_factory=list)


def _lost_by_indicator(scores: QuerySet[Score]) -> dict[int, Decimal]:
    return dict(
        scores.values("indicator")
        .annotate(lost=Avg(F("indicator__max_points") - F("points")))
        .values_list("indicator", "lost")
    )


def round_villages(round_: Round) -> list[Village]:
    """The villages a round covers, so that recomputing or correcting an old round after villages merged
    still covers the villages it had: a round past draft keeps those of its stored results, a correction
    those of the round it corrects; only a fresh draft covers the villages active today, of its county."""
    return list(round_village_queryset(round_))


def round_village_queryset(round_: Round) -> QuerySet[Village]:
    """round_villages() as a queryset, for the pages that show a part of them."""
    villages = Village.objects.select_related("township__district").order_by("code")
    if round_.status != Round.Status.DRAFT:
        stored = villages.filter(results__round=round_)
        if stored.exists():
            return stored
    if round_.corrects is not None:  # no query when corrects_id is None
        return round_village_queryset(round_.corrects)
    return villages.filter(active=True, township__district_id=round_.period.district_id)


def village_result(round_: Round | None, village: Village) -> VillageResult | None:
    """The village's result in the round (None without a round or a result): its village cadres' page."""
    if round_ is None:
        return None
    return VillageResult.objects.filter(round=round_, village=village).first()


def checkup_sheet(round_: Round, village: Village) -> list[CategoryBlock]:
    """体检单: points lost per category and indicator, against the township's and the district's average
    and the village's previous period."""
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme).select_related("category"))
    own = {score.indicator_id: score for score in Score.objects.filter(round=round_, village=village)}
    in_round = Score.objects.filter(round=round_, village__in=round_village_queryset(round_))
    township = _lost_by_indicator(in_round.filter(village__township_id=village.township_id))
    district = _lost_by_indicator(in_round.filter(village__township__district_id=village.township.district_id))
    previous_round = previous_published_round(round_)
    previous: dict[str, Decimal] = {}
    if previous_round is not None:
        previous = {
            code: max_points - points
            for code, max_points, points in Score.objects.filter(round=previous_round, village=village).values_list(
                "indicator__code", "indicator__max_points", "points"
            )
        }
    blocks: dict[int, CategoryBlock] = {}
    for indicator in indicators:
        block = blocks.setdefault(indicator.category_id, CategoryBlock(indicator.category.name))
        score = own.get(indicator.pk)
        lost = indicator.max_points - score.points if score else None
        line = IndicatorLine(
            indicator,
            score.points if score else None,
            lost,
            township.get(indicator.pk),
            district.get(indicator.pk),
            previous.get(indicator.code),
            score.reason if score and lost else "",  # a full mark has no reason, even one saved before it was cleared
        )
        block.lines.append(line)
        block.maximum += indicator.max_points
        block.lost += lost or 0
        block.township_lost += line.township_lost or 0
        block.district_lost += line.district_lost or 0
        if line.previous_lost is not None:
            block.previous_lost = (block.previous_lost or 0) + line.previous_lost
    return list(blocks.values())


def grade_counts(results: Iterable[VillageResult]) -> dict[str, int]:
    counts: defaultdict[str, int] = defaultdict(int)
    for result in results:
        counts[result.grade] += 1
    return {grade: counts.get(grade, 0) for grade in Grade.values}


def published_periods(district_id: int) -> QuerySet[Period]:
    """The county's periods with a published index."""
    return Period.objects.filter(district_id=district_id, rounds__status=Round.Status.PUBLISHED).distinct()


def rounds_with_periods() -> QuerySet[Round]:
    return Round.objects.select_related("period__scheme", "period__district").order_by(
        "-period__year", "-period__half", "-revision"
    )


def rounds_for(user: User) -> QuerySet[Round]:
    """The rounds the user may open: the own county's for its staff and leaders, every county's of the
    city for the city's roles (another county's round is 404, as a missing one)."""
    return scope_to_user(rounds_with_periods(), user, roles=ROUND_READERS, district_field="period__district_id")


def counties_for(user: User) -> QuerySet[District]:
    """The counties whose index the user reads: the own one, or each county of the own city."""
    townships = scope_to_user(Township.objects.all(), user, roles=INDEX_READERS, township_field="id")
    return District.objects.filter(pk__in=townships.values("district_id")).order_by("code")


def county_to_show(user: User, code: str | None) -> District | None:
    """The county an index page of the user shows: `code` if the user reads that county (None if not: the
    page is 404), else the user's own county; for the city's roles the first county with a published
    index (the first county when none has one)."""
    counties = counties_for(user)
    if code:
        return counties.filter(code=code).first()
    if user.county_id is not None:
        return counties.filter(pk=user.county_id).first()
    published = counties.filter(periods__rounds__status=Round.Status.PUBLISHED).first()
    return published or counties.first()


def round_steps(round_: Round) -> list[StatusStep]:
    """Each move of the round from its history, oldest first; a return to draft is named so and carries
    the leader's why."""
    return [
        replace(step, label=_("returned")) if step.moved(Round.Status.SUBMITTED, Round.Status.DRAFT) else step
        for step in status_steps(round_, Round.Status)
    ]


@dataclass
class TownshipProgress:
    township: Township
    villages: int
    complete: int

    @property
    def done(self) -> bool:
        return self.villages == self.complete


def entry_progress(round_: Round) -> list[TownshipProgress]:
    """Per township: how many of the round's villages have every indicator scored."""
    indicator_count = round_.period.scheme.indicators.count()
    villages = round_village_queryset(round_)
    scored = (
        Score.objects.filter(round=round_, village__in=villages)
        .values("village", "village__township")
        .annotate(n=Count("id"))
    )
    complete: dict[int, int] = defaultdict(int)
    for row in scored:
        if row["n"] >= indicator_count:
            complete[row["village__township"]] += 1
    in_round = Count("villages", filter=Q(villages__in=villages))
    townships = Township.objects.annotate(round_villages=in_round).filter(round_villages__gt=0).order_by("code")
    return [TownshipProgress(t, t.round_villages, complete.get(t.pk, 0)) for t in townships]


@dataclass
class FollowUp:
    """One township's follow-up of a published round."""

    bottom: list[VillageResult]  # results of the bottom three, with .diagnoses
    c_villages: list[VillageResult]  # C results, with .pairing (or .suggested_helper) and .rectification
    a_villages: list[VillageResult]  # 培育提升: the A villages
    next_round: Round | None


def next_published_round(round_: Round) -> Round | None:
    same_kind = Round.objects.filter(
        status=Round.Status.PUBLISHED,
        period__district_id=round_.period.district_id,
        period__half__isnull=round_.period.half is None,
    )
    later = [c for c in same_kind.select_related("period") if _period_key(c.period) > _period_key(round_.period)]
    return min(later, key=lambda c: (_period_key(c.period), -c.revision), default=None)


def follow_up(round_: Round, township: Township) -> FollowUp:
    return follow_ups(round_, [township])[township.pk]


def follow_ups(round_: Round, townships: Iterable[Township]) -> dict[int, FollowUp]:
    """The follow-up of each township by its id, all townships in the same handful of queries (the
    district report shows every township's bottom three and pairs)."""
    township_ids = [township.pk for township in townships]
    results: defaultdict[int, list[VillageResult]] = defaultdict(list)
    for result in (
        VillageResult.objects.filter(round=round_, village__township__in=township_ids)
        .select_related("village")
        .order_by("township_rank", "village__code")
    ):
        results[result.village.township_id].append(result)
    diagnoses: defaultdict[int, list[Diagnosis]] = defaultdict(list)
    for diagnosis in Diagnosis.objects.filter(round=round_, village__township__in=township_ids):
        diagnoses[diagnosis.village_id].append(diagnosis)
    pairings = {
        p.helped_id: p
        for p in Pairing.objects.filter(round=round_, helped__township__in=township_ids)
        .prefetch_related("visits")
        .select_related("helper")
    }
    plans = {p.village_id: p for p in Rectification.objects.filter(round=round_, village__township__in=township_ids)}
    next_round = next_published_round(round_)
    later: dict[int, Decimal] = {}
    if next_round is not None:
        later = dict(
            VillageResult.objects.filter(round=next_round, village__township__in=township_ids).values_list(
                "village", "total"
            )
        )
    plans_by_township: dict[int, FollowUp] = {}
    for township_id in township_ids:
        township_results = results[township_id]
        bottom = bottom_three(township_results)
        for result in bottom:
            result.diagnoses = diagnoses.get(result.village_id, [])  # type: ignore[attr-defined]  # for the page
        helpers = [r for r in township_results if r.grade != Grade.C]  # best first
        c_villages = [r for r in township_results if r.grade == Grade.C]
        for number, result in enumerate(c_villages):
            # Set on the result for the pages and the report (not model fields).
            pairing = pairings.get(result.village_id)
            result.pairing = pairing  # type: ignore[attr-defined]
            suggested = helpers[number % len(helpers)].village if helpers and not pairing else None
            result.suggested_helper = suggested  # type: ignore[attr-defined]
            result.rectification = plans.get(result.village_id)  # type: ignore[attr-defined]
            result.later_total = later.get(result.village_id)  # type: ignore[attr-defined]
        a_villages = [r for r in township_results if r.grade == Grade.A]
        plans_by_township[township_id] = FollowUp(bottom, c_villages, a_villages, next_round)
    return plans_by_township


# --- Public index: published rounds only, no persons, no indicator-level reasons -------------------------


def public_round(period_code: str | None, district_id: int | None = None) -> Round | None:
    """The latest published revision of the period (or of the latest period), of the county when given
    (of any county otherwise: an installation with one county); None if none."""
    rounds = Round.objects.filter(status=Round.Status.PUBLISHED).select_related("period__scheme", "period__district")
    if period_code:
        rounds = rounds.filter(period__code=period_code)
    if district_id is not None:
        rounds = rounds.filter(period__district_id=district_id)
    return rounds.order_by("-period__year", F("period__half").desc(nulls_first=True), "-revision").first()


def public_rounds() -> list[Round]:
    """Every published round, latest first (the year's own round after its half-years, then the latest
    revision), with its period, scheme and county: one query for the public index to choose from (a few
    rows a county and year)."""
    return list(
        Round.objects.filter(status=Round.Status.PUBLISHED)
        .select_related("period__scheme", "period__district")
        .order_by("-period__year", F("period__half").desc(nulls_first=True), "-revision", "period__district__code")
    )


def public_counties(rounds: Iterable[Round] | None = None) -> list[District]:
    """The counties with a published index (of `rounds`, by default every published round), in code
    order: one for an installation of one county (its public pages are as they always were), several for
    a city's installation."""
    if rounds is None:
        published = Period.objects.filter(rounds__status=Round.Status.PUBLISHED).values("district_id")
        return list(District.objects.filter(pk__in=published).order_by("code"))
    counties = {round_.period.district_id: round_.period.district for round_ in rounds}
    return sorted(counties.values(), key=lambda district: district.code)


@dataclass(frozen=True)
class CountyIndex:
    """One county's published index on the public chooser: its round and grade counts."""

    district: District
    round: Round
    counts: dict[str, int]

    @property
    def villages(self) -> int:
        return sum(self.counts.values())


def county_indexes(rounds: Iterable[Round], *, counts: bool = True) -> list[CountyIndex]:
    """Each county's latest of `rounds` (public_rounds, narrowed to a period), in county code order, with
    its grade counts (`counts`: one query; else left at zero)."""
    latest: dict[int, Round] = {}
    for round_ in rounds:
        latest.setdefault(round_.period.district_id, round_)
    ordered = sorted(latest.values(), key=lambda round_: round_.period.district.code)
    grades: dict[int, dict[str, int]] = {round_.pk: dict.fromkeys(GRADES, 0) for round_ in ordered}
    if counts and grades:
        rows = VillageResult.objects.filter(round__in=list(grades)).values("round", "grade").annotate(n=Count("id"))
        for row in rows.order_by():
            grades[row["round"]][row["grade"]] = row["n"]
    return [CountyIndex(round_.period.district, round_, grades[round_.pk]) for round_ in ordered]


PUBLIC_ROW_VALUES = (
    "village_id",
    "village__code",
    "village__name",
    "village__township__code",
    "village__township__name",
    "total",
    "grade",
    "township_rank",
    "district_rank",
    "vetoed",
)


def public_results(round_: Round) -> QuerySet[VillageResult, dict[str, Any]]:
    """The round's results as plain values (no model instances: the public list is read at city size)."""
    rows: QuerySet[VillageResult, dict[str, Any]] = (
        VillageResult.objects.filter(round=round_).values(*PUBLIC_ROW_VALUES).order_by("district_rank", "village__code")
    )
    return rows


@dataclass
class TownshipShares:
    code: str
    name: str
    counts: dict[str, int]
    total: int

    def share(self, grade: str) -> float:
        return 100 * self.counts[grade] / self.total if self.total else 0.0

    @property
    def share_a(self) -> float:
        return self.share(Grade.A)

    @property
    def share_c(self) -> float:
        return self.share(Grade.C)

    @classmethod
    def whole(cls, lines: "list[TownshipShares]", name: str = "") -> "TownshipShares":
        """The sum of the townships' lines (the district's counts)."""
        counts = {grade: sum(line.counts[grade] for line in lines) for grade in GRADES}
        return cls("", name, counts, sum(line.total for line in lines))

    def bars(self, *, left: float, width: float) -> list[tuple[str, float, float, float]]:
        """(grade, x, width, share %) of a stacked bar drawn from `left` over `width` chart units."""
        x, bars = left, []
        for grade in GRADES:
            share = self.share(grade)
            bars.append((grade, round(x, 2), round(width * share / 100, 2), round(share, 1)))
            x += width * share / 100
        return bars


def township_shares(round_: Round) -> list[TownshipShares]:
    """各镇(街道)村居清廉指数等级数量占比, in one aggregate query."""
    rows = (
        VillageResult.objects.filter(round=round_)
        .values("village__township__code", "village__township__name", "grade")
        .annotate(n=Count("id"))
        .order_by("village__township__code")
    )
    by_code: dict[str, TownshipShares] = {}
    for row in rows:
        code = row["village__township__code"]
        line = by_code.setdefault(
            code, TownshipShares(code, row["village__township__name"], dict.fromkeys(GRADES, 0), 0)
        )
        line.counts[row["grade"]] += row["n"]
        line.total += row["n"]
    return list(by_code.values())


def published_schemes() -> QuerySet[Scheme]:
    """The schemes of published rounds with everything the methodology page shows."""
    return (
        Scheme.objects.filter(periods__rounds__status=Round.Status.PUBLISHED)
        .distinct()
        .prefetch_related("categories__indicators", "bonus_items", "veto_items", "periods__district")
    )


def public_periods(district_id: int | None = None) -> list[str]:
    """The codes of the periods with a published index (of the county when given), latest first."""
    periods = Period.objects.filter(rounds__status=Round.Status.PUBLISHED)
    if district_id is not None:
        periods = periods.filter(district_id=district_id)
    codes = periods.order_by("-year", F("half").desc(nulls_first=True)).values_list("code", flat=True)
    return list(dict.fromkeys(codes))


@dataclass
class VillageHistoryLine:
    period: str
    total: Decimal
    grade: str
    township_rank: int
    revision: int
    published_at: datetime | None
    correction_reason: str


def public_village_history(village: Village) -> list[VillageHistoryLine]:
    """The village's result in every published period (latest revision each), newest first."""
    results = (
        VillageResult.objects.filter(village=village, round__status=Round.Status.PUBLISHED)
        .select_related("round__period")
        .order_by("-round__period__year", "-round__period__half", "-round__revision")
    )
    lines: list[VillageHistoryLine] = []
    seen: set[int] = set()
    for result in results:
        if result.round.period_id in seen:
            continue
        seen.add(result.round.period_id)
        lines.append(
            VillageHistoryLine(
                result.round.period.code,
                result.total,
                result.grade,
                result.township_rank,
                result.round.revision,
                result.round.published_at,
                result.round.correction_reason,
            )
        )
    return lines


def category_points(round_: Round, village: Village) -> list[tuple[str, Decimal, Decimal, str]]:
    """Points per category (not per indicator) with the category's maximum and a letter grade of the
    category on the scheme's thresholds scaled to its maximum."""
    scheme = round_.period.scheme
    rows = (
        Score.objects.filter(round=round_, village=village)
        .values("indicator__category__name", "indicator__category__position")
        .annotate(points=Sum("points"), maximum=Sum("indicator__max_points"))
        .order_by("indicator__category__position")
    )
    lines: list[tuple[str, Decimal, Decimal, str]] = []
    for row in rows:
        ratio = 100 * row["points"] / row["maximum"] if row["maximum"] else 0
        grade = Grade.A if ratio >= scheme.grade_a_min else Grade.B if ratio >= scheme.grade_b_min else Grade.C
        lines.append((row["indicator__category__name"], row["points"], row["maximum"], grade))
    return lines


# --- Publishing a round: the summary the leader confirms ---------------------------------------------------

BIGGEST_CHANGES = 5


@dataclass(frozen=True)
class Change:
    result: VillageResult
    previous: Decimal
    change: Decimal


@dataclass(frozen=True)
class PublicationSummary:
    """What publishing a round makes public, read from its results (computed when it was submitted from
    the scores frozen since): grade counts, the C villages (the vetoed among them with their reason), and
    the biggest moves since the previous published period of the same kind."""

    counts: dict[str, int]
    villages: int
    c_villages: list[VillageResult]
    vetoed: list[VillageResult]
    previous_round: Round | None  # a correction: the revision it replaces; otherwise the period before
    risen: list[Change]  # the BIGGEST_CHANGES largest rises, largest first
    fallen: list[Change]  # the BIGGEST_CHANGES largest falls, largest first
    fingerprint: str  # of the results summarised: publishing refuses if they are no longer these


def results_fingerprint(results: Iterable[VillageResult]) -> str:
    """What the public will see of each village (total, grade, veto), as one hash: the leader confirms
    these, and a publication that would make public anything else is refused."""
    rows = sorted((r.village_id, f"{r.total:.2f}", str(r.grade), bool(r.vetoed)) for r in results)
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def publication_summary(round_: Round) -> PublicationSummary:
    """The round's publication summary, in three queries whatever the number of villages."""
    results = list(
        VillageResult.objects.filter(round=round_)
        .select_related("village__township")
        .order_by("village__township__code", "total", "village__code")
    )
    # A correction replaces a published revision of the same period: the public compares with that one.
    previous_round = round_.corrects if round_.corrects_id else previous_published_round(round_)
    previous: dict[int, Decimal] = {}
    if previous_round is not None:
        previous = dict(VillageResult.objects.filter(round=previous_round).values_list("village_id", "total"))
    moves = changes_since_previous({result.village_id: result.total for result in results}, previous)
    changes = [
        Change(result, previous[result.village_id], moves[result.village_id])
        for result in sorted(results, key=lambda result: result.village.code)
        if result.village_id in moves
    ]
    c_villages = [result for result in results if result.grade == Grade.C]
    return PublicationSummary(
        counts=grade_counts(results),
        villages=len(results),
        c_villages=c_villages,
        vetoed=[result for result in c_villages if result.vetoed],
        previous_round=previous_round,
        risen=sorted((c for c in changes if c.change > 0), key=lambda c: -c.change)[:BIGGEST_CHANGES],
        fallen=sorted((c for c in changes if c.change < 0), key=lambda c: c.change)[:BIGGEST_CHANGES],
        fingerprint=results_fingerprint(results),
    )


@dataclass(frozen=True)
class CountyYearIndex:
    """A county's latest published round of a year, its grade counts and its villages' average total."""

    round: Round
    counts: dict[str, int]
    average: Decimal | None


def year_index_by_district(year: int, district_ids: list[int] | None = None) -> dict[int, CountyYearIndex]:
    """district id → its latest published round of `year` (the year's own round before its half-years, the
    latest revision) with its grade counts and average total: two queries however many counties."""
    rounds = Round.objects.filter(status=Round.Status.PUBLISHED, period__year=year).select_related("period")
    if district_ids is not None:
        rounds = rounds.filter(period__district_id__in=district_ids)
    latest: dict[int, Round] = {}
    for round_ in rounds.order_by("period__district_id", F("period__half").desc(nulls_first=True), "-revision"):
        latest.setdefault(round_.period.district_id, round_)
    counts = {round_.pk: dict.fromkeys(GRADES, 0) for round_ in latest.values()}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    if counts:
        rows = VillageResult.objects.filter(round__in=list(counts)).values("round", "grade")
        for row in rows.annotate(n=Count("id"), points=Sum("total")).order_by():
            counts[row["round"]][row["grade"]] = row["n"]
            sums[row["round"]] += row["points"]
    indexes = {}
    for district_id, round_ in latest.items():
        villages = sum(counts[round_.pk].values())
        average = (sums[round_.pk] / villages).quantize(Decimal("0.01")) if villages else None
        indexes[district_id] = CountyYearIndex(round_, counts[round_.pk], average)
    return indexes
