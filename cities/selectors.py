"""Reads of the city's own work: the comparison of its counties (each figure with its city rank) and the
五个一 programmes and their progress schedule (工作进度表), always in the user's scope.

The comparison reads the other regimes through their selectors' `…_by_district(year)` readers: a fixed
number of queries however many counties the city has."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES
from inspections.selectors import CountyFindingCounts, finding_counts_by_district
from petitions.selectors import CountyPetitionCounts, petition_counts_by_district
from scoring.models import Grade, Period, Round
from scoring.selectors import CountyYearIndex, year_index_by_district
from stars.selectors import demonstration_villages_by_district, fixed_stars_by_district
from villages.models import City, District

from .models import CountyStep, Programme, Step, StepEvidence, SupervisionVisit, VisitProblem

STAR_LEVELS = tuple(range(6))  # 0 … 5 stars (0: 摘星 took every star)
Value = Decimal | int | None


@dataclass(frozen=True)
class FigureColumn:
    """A compared figure: its key on CountyFigures, its heading, whether it is a percentage (a share, a
    rate or a 同比 change), and which way is better for its city rank (True: higher, False: lower, None:
    not ranked)."""

    key: str
    label: Promise
    percent: bool
    higher_is_better: bool | None


# The figures compared, in the order of the page, the export and the yearly PDF.
FIGURES: tuple[FigureColumn, ...] = (
    FigureColumn("share_a", _("Grade A share (%)"), True, True),
    # More B is neither better nor worse: it is fewer A or fewer C.
    FigureColumn("share_b", _("Grade B share (%)"), True, None),
    FigureColumn("share_c", _("Grade C share (%)"), True, False),
    FigureColumn("average_index", _("Average index"), False, True),
    FigureColumn("average_stars", _("Average stars"), False, True),
    FigureColumn("demonstration", _("Demonstration villages"), False, True),
    FigureColumn("petitions", _("Petitions received"), False, False),
    FigureColumn("petitions_change", _("Petitions year on year (%)"), True, False),
    FigureColumn("rural_petitions", _("Rural petitions"), False, False),
    FigureColumn("rural_petitions_change", _("Rural petitions year on year (%)"), True, False),
    FigureColumn("strike_off_rate", _("Listed cases struck off (%)"), True, True),
    FigureColumn("rectification_rate", _("Findings rectified (%)"), True, True),
    FigureColumn("on_time_rate", _("Rectified on time (%)"), True, True),
)
RANKED = tuple(column for column in FIGURES if column.higher_is_better is not None)


@dataclass(frozen=True)
class CountyFigures:
    """One county's year in the city's comparison. Rates and shares are percentages with one decimal,
    None when their whole is nought; 同比 (`…_change`) is the % change on the year before, None when the
    year before had none; `ranks` holds each ranked figure's city rank (1 = best, ties share a rank, None:
    no figure, no rank)."""

    district: District
    year: int
    # 清廉指数: the county's latest published round of the year (None: nothing published that year).
    round: Round | None
    grades: Mapping[str, int]  # villages at A, B, C in that round
    graded: int
    share_a: Decimal | None
    share_b: Decimal | None
    share_c: Decimal | None
    average_index: Decimal | None
    # 评星晋级: villages at 0 … 5 stars fixed that year (as 摘星 left them); nominated 示范村.
    stars: tuple[int, ...]
    average_stars: Decimal | None
    demonstration: int
    # 涉纪信访: received that year and the year before; listed cases open in the year and struck off.
    petitions: int
    petitions_before: int
    petitions_change: Decimal | None
    rural_petitions: int
    rural_petitions_before: int
    rural_petitions_change: Decimal | None
    listed: int
    struck_off: int
    strike_off_rate: Decimal | None
    # 巡察: the year's findings, closed, closed by their due date.
    findings: int
    findings_closed: int
    findings_closed_on_time: int
    rectification_rate: Decimal | None
    on_time_rate: Decimal | None
    ranks: Mapping[str, int | None]

    def value(self, key: str) -> Value:
        value: Value = getattr(self, key)
        return value

    def rank(self, key: str) -> int | None:
        return self.ranks.get(key)


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _change(now: int, before: int) -> Decimal | None:
    return (Decimal(now - before) * 100 / before).quantize(Decimal("0.1")) if before else None


def city_ranks(values: Mapping[int, Value], *, higher_is_better: bool) -> dict[int, int | None]:
    """Competition ranks (1, 1, 3): one plus the counties strictly better; a county without a value has none."""
    present = [value for value in values.values() if value is not None]

    def rank(value: Decimal | int) -> int:
        better = (other > value if higher_is_better else other < value for other in present)
        return 1 + sum(better)

    return {key: None if value is None else rank(value) for key, value in values.items()}


def _county_figures(
    county: District,
    year: int,
    index: CountyYearIndex | None,
    levels: Mapping[int, int],
    demonstration: int,
    received: CountyPetitionCounts,
    found: CountyFindingCounts,
) -> CountyFigures:
    grades = dict(index.counts) if index else dict.fromkeys(Grade.values, 0)
    graded = sum(grades.values())
    rated = sum(levels.values())
    average_stars = Decimal(sum(level * n for level, n in levels.items())) / rated if rated else None
    return CountyFigures(
        district=county,
        year=year,
        round=index.round if index else None,
        grades=grades,
        graded=graded,
        share_a=_percent(grades[Grade.A], graded),
        share_b=_percent(grades[Grade.B], graded),
        share_c=_percent(grades[Grade.C], graded),
        average_index=index.average if index else None,
        stars=tuple(levels.get(level, 0) for level in STAR_LEVELS),
        average_stars=average_stars.quantize(Decimal("0.01")) if average_stars is not None else None,
        demonstration=demonstration,
        petitions=received.received,
        petitions_before=received.received_before,
        petitions_change=_change(received.received, received.received_before),
        rural_petitions=received.rural,
        rural_petitions_before=received.rural_before,
        rural_petitions_change=_change(received.rural, received.rural_before),
        listed=received.listed,
        struck_off=received.struck_off,
        strike_off_rate=_percent(received.struck_off, received.listed),
        findings=found.found,
        findings_closed=found.closed,
        findings_closed_on_time=found.closed_on_time,
        rectification_rate=_percent(found.closed, found.found),
        on_time_rate=_percent(found.closed_on_time, found.closed),
        ranks={},
    )


NO_PETITIONS = CountyPetitionCounts(0, 0, 0, 0, 0, 0)
NO_FINDINGS = CountyFindingCounts(0, 0, 0)


def county_comparison(city: City, year: int) -> list[CountyFigures]:
    """Each county of `city` in code order, with its figures of `year` and their city ranks: nine queries
    however many counties."""
    counties = list(District.objects.filter(city=city).order_by("code"))
    ids = [county.pk for county in counties]
    indexes = year_index_by_district(year, ids)
    stars = fixed_stars_by_district(year, ids)
    demonstration = demonstration_villages_by_district(year, ids)
    petitions = petition_counts_by_district(year, ids)
    findings = finding_counts_by_district(year, ids)
    figures = [
        _county_figures(
            county,
            year,
            indexes.get(county.pk),
            stars.get(county.pk, {}),
            demonstration.get(county.pk, 0),
            petitions.get(county.pk, NO_PETITIONS),
            findings.get(county.pk, NO_FINDINGS),
        )
        for county in counties
    ]
    ranks: list[dict[str, int | None]] = [{} for _figures in figures]
    for column in RANKED:
        values = {position: line.value(column.key) for position, line in enumerate(figures)}
        for position, rank in city_ranks(values, higher_is_better=bool(column.higher_is_better)).items():
            ranks[position][column.key] = rank
    return [replace(line, ranks=ranks[position]) for position, line in enumerate(figures)]


# --- 五个一: the programmes, a county's steps, the progress schedule (工作进度表) -----------------------------

# The comparison and the schedule are the city's; a county's staff and leaders read their own county's steps.
CITY_READERS = CITY_ROLES
STEP_READERS = DISTRICT_WIDE_ROLES | CITY_ROLES


def steps_for(user: User) -> QuerySet[CountyStep]:
    """The 五个一 steps the user may read: the own county's for its staff and leaders, every county's of
    the own city for the city's roles."""
    return scope_to_user(
        CountyStep.objects.select_related("programme__city", "district"),
        user,
        roles=STEP_READERS,
        district_field="district_id",
    )


def get_step_for(user: User, pk: int) -> CountyStep:
    """The step if the user may read it; 404 for missing and foreign alike."""
    return get_object_or_404(steps_for(user), pk=pk)


def visits_for(user: User) -> QuerySet[SupervisionVisit]:
    return scope_to_user(
        SupervisionVisit.objects.select_related("programme", "district", "recorded_by"),
        user,
        roles=STEP_READERS,
        district_field="district_id",
    )


def problems_for(user: User) -> QuerySet[VisitProblem]:
    return scope_to_user(
        VisitProblem.objects.select_related("visit__programme", "visit__district"),
        user,
        roles=STEP_READERS,
        district_field="visit__district_id",
    )


def get_problem_for(user: User, pk: int) -> VisitProblem:
    return get_object_or_404(problems_for(user), pk=pk)


def evidence_for(user: User) -> QuerySet[StepEvidence]:
    return scope_to_user(
        StepEvidence.objects.select_related("step"), user, roles=STEP_READERS, district_field="step__district_id"
    )


def programme_of(city: City | None, year: int) -> Programme | None:
    return Programme.objects.filter(city=city, year=year).first() if city else None


def counties_without_steps(city: City, programme: Programme | None) -> list[District]:
    """The counties of the city that have no steps in the programme (all of them before it is set)."""
    counties = District.objects.filter(city=city).order_by("code")
    if programme is not None:
        counties = counties.exclude(pk__in=programme.steps.values("district_id"))
    return list(counties)


def programme_years(user: User) -> list[int]:
    """The years of the 五个一 programmes the user reads (newest first)."""
    years = steps_for(user).values_list("programme__year", flat=True).distinct().order_by("-programme__year")
    return list(years)


@dataclass(frozen=True)
class CountyProgramme:
    """A county's 五个一 of a year: its five steps (with their evidence) and the city's visits there."""

    district: District
    programme: Programme
    steps: list[CountyStep]
    visits: list[SupervisionVisit]

    @property
    def done(self) -> int:
        return sum(step.is_done for step in self.steps)


def county_programme(user: User, year: int, code: str) -> CountyProgramme:
    """The county's programme of the year if the user may read it; 404 for missing and foreign alike. Four
    queries: the steps, their evidence, the visits, their problems."""
    steps = list(
        steps_for(user)
        .filter(programme__year=year, district__code=code)
        .prefetch_related(Prefetch("evidence", queryset=StepEvidence.objects.select_related("uploaded_by")))
        .order_by("position")
    )
    if not steps:
        raise Http404
    visits = (
        visits_for(user)
        .filter(programme=steps[0].programme, district=steps[0].district)
        .prefetch_related("problems")
        .order_by("-visited_on", "-id")
    )
    return CountyProgramme(steps[0].district, steps[0].programme, steps, list(visits))


@dataclass(frozen=True)
class ScheduleRow:
    """A county's line of the progress schedule: its five steps in order, and the city's visits there."""

    district: District
    steps: list[CountyStep | None]  # one per Step, None where the county has none (added since)
    visits: int
    open_problems: int
    overdue_problems: int

    @property
    def done(self) -> int:
        return sum(bool(step and step.is_done) for step in self.steps)

    def overdue(self, today: date) -> int:
        return sum(bool(step and step.is_overdue(today)) for step in self.steps)

    @property
    def labelled_steps(self) -> list[tuple[str, CountyStep | None]]:
        return list(zip([str(label) for label in Step.labels], self.steps, strict=True))


def schedule(programme: Programme, today: date) -> list[ScheduleRow]:
    """工作进度表: every county of the programme × the five steps, in county code order: two queries however
    many counties."""
    by_county: dict[int, dict[str, CountyStep]] = {}
    counties: dict[int, District] = {}
    for step in programme.steps.select_related("district").order_by("district__code", "position"):
        counties.setdefault(step.district_id, step.district)
        by_county.setdefault(step.district_id, {})[step.step] = step
    open_problem = Q(problems__status=VisitProblem.Status.OPEN)
    visits = {
        row["district_id"]: row
        for row in programme.visits.values("district_id")
        .annotate(
            n=Count("id", distinct=True),
            open=Count("problems", filter=open_problem),
            overdue=Count("problems", filter=open_problem & Q(problems__due_on__lt=today)),
        )
        .order_by()
    }
    none = {"n": 0, "open": 0, "overdue": 0}
    return [
        ScheduleRow(
            county,
            [by_county[county_id].get(step) for step in Step.values],
            visits.get(county_id, none)["n"],
            visits.get(county_id, none)["open"],
            visits.get(county_id, none)["overdue"],
        )
        for county_id, county in counties.items()
    ]


def overdue_steps(user: User, today: date) -> QuerySet[CountyStep]:
    """Steps in the user's scope not done past their due date, the longest overdue first (the to-do page)."""
    late = steps_for(user).exclude(status=CountyStep.Status.DONE).filter(due_on__lt=today)
    return late.order_by("due_on", "district__code", "position")


def latest_published_year(city: City, today: date) -> int:
    """The year the comparison opens on: the latest in which any county of the city published its index
    (most figures are of published results; this year's are empty until a county publishes), else this year."""
    published = Period.objects.filter(district__city=city, rounds__status=Round.Status.PUBLISHED)
    return published.aggregate(last=Max("year"))["last"] or today.year


def comparison_years(city: City, today: date) -> list[int]:
    """The years the comparison can be asked for: from the first year any county of the city has an index
    period or a 五个一 programme up to this year, newest first."""
    first = [
        Period.objects.filter(district__city=city).aggregate(first=Min("year"))["first"],
        Programme.objects.filter(city=city).aggregate(first=Min("year"))["first"],
    ]
    start = min([year for year in first if year], default=today.year)
    return list(range(today.year, min(start, today.year) - 1, -1))
