"""Reads of inspections, always through the user's scope: rounds, the ledger, revisit candidates, the
re-check items of a revisit, cadre sanctions for veto rules, and the figures the commission reports.

Each county's rounds and findings are its own: a county's staff and leaders read their county's, a
secretary the own township's, the city's staff and leaders the rounds, ledger and figures of every county
of their city (READ_ROLES), never a round's or a finding's own page."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar, cast

from django.conf import settings
from django.db.models import Case, Count, F, Model, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, INDEX_ROLES, Role
from core.dates import same_day_last_year
from core.history import HistoricalRecord, StatusStep, status_steps
from petitions.selectors import petition_counts_by_village
from scoring.models import Grade, Round, VillageResult
from scoring.selectors import bottom_three
from villages.models import District, Township, Village

from .models import Finding, InspectionRound, InspectionTarget, PersonHandled, ProblemLead

RowT = TypeVar("RowT", bound=Model)

# Who reads the round list, the ledger and the figures: the county's people, and the city's (read only).
READ_ROLES = INDEX_ROLES | CITY_ROLES


def findings_for(user: User) -> QuerySet[Finding]:
    return scope_to_user(
        Finding.objects.select_related("village__township__district", "category", "round", "owner"),
        user,
        township_field="village__township_id",
        roles=READ_ROLES,
    )


OVERDUE = "overdue"  # the ledger's status filter beside Finding.Status: open findings past their due date


def village_findings(village: Village) -> QuerySet[Finding]:
    """The village's findings in ledger order: what its cadres rectify. Never the persons handled."""
    return in_ledger_order(Finding.objects.filter(village=village).select_related("category", "round"))


def in_ledger_order(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    """Overdue findings first, then the open ones by due date, closed ones last: what needs doing heads the
    ledger and the village page, on a phone's short screen above all."""
    urgency = Case(
        When(status=Finding.Status.CLOSED, then=Value(2)),
        When(overdue_since__isnull=False, then=Value(0)),
        default=Value(1),
    )
    return findings.order_by(urgency, "due_on", "id")


def ledger_for(user: User, *, status: str = "", township: str = "", county: str = "") -> QuerySet[Finding]:
    """The rectification ledger (整改台账) in the user's scope, filtered by status (or overdue), township
    code and county code, in the ledger's order."""
    findings = findings_for(user)
    if county:
        findings = findings.filter(village__township__district__code=county)
    if status == OVERDUE:
        findings = findings.filter(overdue_since__isnull=False)
    elif status in Finding.Status.values:
        findings = findings.filter(status=status)
    if township:
        findings = findings.filter(village__township__code=township)
    return in_ledger_order(findings)


def get_finding_for(user: User, pk: int) -> Finding:
    """The finding if the user may open it (a secretary of its township, its county's staff and leaders);
    404 for missing and foreign alike."""
    if not user.has_role(*INDEX_ROLES):
        raise Http404
    return get_object_or_404(findings_for(user), pk=pk)


def finding_state(finding: Finding) -> str:
    """The finding as it stands, in words (for the conflict a save against an older version meets)."""
    latest = finding.progress.order_by("-recorded_at", "-id").first()
    return _("%(status)s, due on %(due)s, latest progress: %(note)s") % {
        "status": finding.get_status_display(),
        "due": finding.due_on,
        "note": Truncator(latest.note).chars(80) if latest else "—",
    }


def finding_steps(finding: Finding) -> list[StatusStep]:
    """Each move of the finding from its history, oldest first: why it was reopened, how its closure was
    verified and by whom (the closure's approver stays here after a reopen clears it from the finding)."""

    def why(record: HistoricalRecord) -> str:
        closed = record.status == Finding.Status.CLOSED
        return record.verification if closed else record.history_change_reason or ""

    return status_steps(finding, Finding.Status, reason=why)


def rounds_for(user: User) -> QuerySet[InspectionRound]:
    """Rounds the user may see: the own county's for its staff and leaders, those that visited its
    villages for a secretary, every county's of the city for the city's roles."""
    rounds = (
        InspectionRound.objects.select_related("district")
        .annotate(village_count=Count("targets", distinct=True))
        .order_by("-starts_on", "-id")
    )
    if user.has_role(Role.TOWNSHIP_SECRETARY):  # bound to a township (accounts.services.user_set_role)
        return rounds.filter(targets__village__township_id=cast(int, user.township_id)).distinct()
    return scope_to_user(rounds, user, roles=DISTRICT_WIDE_ROLES | CITY_ROLES, district_field="district_id")


def get_round_for(user: User, pk: int) -> InspectionRound:
    """The round if the user may open it (a secretary whose villages it visited, its county's staff and
    leaders); 404 for missing and foreign alike."""
    if not user.has_role(*INDEX_ROLES):
        raise Http404
    return get_object_or_404(rounds_for(user), pk=pk)


def targets_for(user: User, round_: InspectionRound) -> QuerySet[InspectionTarget]:
    return scope_to_user(
        round_.targets.select_related("village__township"),
        user,
        township_field="village__township_id",
        roles=INDEX_ROLES,
    )


def persons_for(user: User) -> QuerySet[PersonHandled]:
    """Persons handled, with names: the county commission's staff and leaders only (never a township, never
    the city, never public)."""
    persons = PersonHandled.objects.select_related("village__township")
    return scope_to_user(persons, user, roles=DISTRICT_WIDE_ROLES, district_field="round__district_id")


def leads_for(user: User) -> QuerySet[ProblemLead]:
    leads = ProblemLead.objects.select_related("village__township", "finding")
    return scope_to_user(leads, user, roles=DISTRICT_WIDE_ROLES, district_field="round__district_id")


# --- 回头看: which villages to revisit and what to re-check -------------------------------------------


@dataclass
class Candidate:
    village: Village
    reasons: list[str]


@dataclass
class RevisitCandidates:
    weak_party_building: list[Candidate]  # 党建薄弱村
    many_petitions: list[Candidate]  # 信访多发村
    prominent_problems: list[Candidate]  # 问题突出村


def _grouped(reasons: dict[int, list[str]]) -> list[Candidate]:
    villages = Village.objects.select_related("township").in_bulk(list(reasons))
    return [
        Candidate(villages[village_id], texts)
        for village_id, texts in sorted(reasons.items(), key=lambda item: villages[item[0]].code)
    ]


def _in_county(queryset: QuerySet[RowT], district: District | None, field: str = "village") -> QuerySet[RowT]:
    """The rows of the county's villages (`field` leads to the village); every row without a county."""
    return queryset.filter(**{f"{field}__township__district": district}) if district else queryset


def _latest_published_round_of(district: District | None) -> Round | None:
    """The latest published index round with results of the county's villages (the index's own order:
    the year's round after its half-years, the latest revision)."""
    published = Round.objects.filter(status=Round.Status.PUBLISHED)
    if district:
        published = published.filter(pk__in=_in_county(VillageResult.objects.all(), district).values("round"))
    return (
        published.select_related("period")
        .order_by("-period__year", F("period__half").desc(nulls_first=True), "-revision")
        .first()
    )


def _weak_party_building(district: District | None) -> dict[int, list[str]]:
    """C grade or bottom three of its township in the county's latest published index."""
    round_ = _latest_published_round_of(district)
    reasons: dict[int, list[str]] = defaultdict(list)
    if round_ is None:
        return reasons
    period = round_.period.code
    results = list(_in_county(VillageResult.objects.filter(round=round_), district).select_related("village"))
    for result in results:
        if result.grade == Grade.C:
            reasons[result.village_id].append(f"{period} 清廉指数C类（{result.total}分）")
    by_township = defaultdict(list)
    for result in results:
        by_township[result.village.township_id].append(result)
    for township_results in by_township.values():
        for result in bottom_three(township_results):
            reasons[result.village_id].append(f"{period} 清廉指数镇街排名末三位（第{result.township_rank}名）")
    return reasons


def _many_petitions(district: District | None, today: date) -> dict[int, list[str]]:
    """Petitions at or above REVISIT_PETITION_THRESHOLD received in the last 12 months."""
    counts = petition_counts_by_village(since=today - timedelta(days=365), until=today, district=district)
    threshold = settings.REVISIT_PETITION_THRESHOLD
    return {
        village_id: [f"近12个月涉纪信访{count}件（≥{threshold}件）"]
        for village_id, count in counts.items()
        if count >= threshold
    }


def _prominent_problems(district: District | None, today: date) -> dict[int, list[str]]:
    """Overdue or reopened rectification."""
    reasons: dict[int, list[str]] = defaultdict(list)
    open_findings = _in_county(Finding.objects.exclude(status=Finding.Status.CLOSED), district)
    overdue = open_findings.filter(due_on__lt=today).values("village").annotate(n=Count("id"))
    for row in overdue:
        reasons[row["village"]].append(f"整改逾期{row['n']}项")
    reopened = open_findings.filter(status=Finding.Status.REOPENED).values("village").annotate(n=Count("id"))
    for row in reopened:
        reasons[row["village"]].append(f"整改被退回重办{row['n']}项")
    return reasons


def revisit_candidates(today: date, district: District | None = None) -> RevisitCandidates:
    """The county's villages to revisit (every county's without one), each with its reasons."""
    return RevisitCandidates(
        weak_party_building=_grouped(_weak_party_building(district)),
        many_petitions=_grouped(_many_petitions(district, today)),
        prominent_problems=_grouped(_prominent_problems(district, today)),
    )


def recheck_candidates(village_ids: Iterable[int], *, before: InspectionRound, today: date) -> QuerySet[Finding]:
    """Earlier findings of the villages to re-check on a revisit: every open one, and those closed within
    the look-back (REVISIT_RECHECK_CLOSED_DAYS), not already brought into this round."""
    since = today - timedelta(days=settings.REVISIT_RECHECK_CLOSED_DAYS)
    already = Finding.objects.filter(round=before, recheck_of__isnull=False).values("recheck_of")
    return (
        Finding.objects.filter(village_id__in=village_ids, village__township__district_id=before.district_id)
        .exclude(round=before)
        .exclude(pk__in=already)
        .filter(~Q(status=Finding.Status.CLOSED) | Q(closed_on__gte=since))
        .select_related("village", "category", "owner")
        .order_by("village__code", "found_on", "id")
    )


# --- Figures as the commission reports them, with 同比 ---------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    value: Decimal | int | None
    previous: Decimal | int | None
    is_rate: bool = False

    @property
    def change(self) -> Decimal | int | None:
        """Points for a rate, a percentage for a count; None when last year had nothing to compare."""
        if self.value is None or self.previous is None:
            return None
        if self.is_rate:
            return self.value - self.previous
        if not self.previous:
            return None
        return (Decimal(self.value - self.previous) * 100 / self.previous).quantize(Decimal("0.1"))


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _counts(
    start: date, end: date, township: Township | None, user: User | None, county: District | None
) -> dict[str, Decimal | int | None]:
    def scoped(queryset: QuerySet[RowT], field: str = "village__township") -> QuerySet[RowT]:
        if user is not None:
            queryset = scope_to_user(queryset, user, roles=READ_ROLES, township_field=f"{field}_id")
        if county:
            queryset = queryset.filter(**{f"{field}__district": county})
        return queryset.filter(**{field: township}) if township else queryset

    targets = scoped(InspectionTarget.objects.filter(round__starts_on__range=(start, end)))
    findings = scoped(Finding.objects.filter(found_on__range=(start, end)))
    persons = scoped(PersonHandled.objects.filter(decided_on__range=(start, end)))
    closed = findings.filter(status=Finding.Status.CLOSED)
    return {
        "villages": targets.values("village").distinct().count(),
        "findings": findings.count(),
        "leads": scoped(ProblemLead.objects.filter(handed_on__range=(start, end))).count(),
        "persons": persons.count(),
        "sanctions": persons.filter(handling__in=PersonHandled.SANCTIONS).count(),
        "cases": persons.filter(case_filed=True).count(),
        "rectification_rate": _rate(closed.count(), findings.count()),
        "on_time_rate": _rate(closed.filter(closed_on__lte=F("due_on")).count(), closed.count()),
    }


FIGURE_LABELS = {
    "villages": "巡察村居数",
    "findings": "发现问题数",
    "leads": "问题线索数",
    "persons": "处理人数",
    "sanctions": "党纪政务处分",
    "cases": "立案数",
    "rectification_rate": "整改完成率",
    "on_time_rate": "按期整改率",
}


def figures(
    start: date,
    end: date,
    township: Township | None = None,
    *,
    user: User | None = None,
    county: District | None = None,
) -> list[Figure]:
    """The year's figures between `start` and `end` (both counted), each against the same dates of the
    year before (同比): in the user's scope (every county's without one), narrowed to a township or a
    county."""
    now = _counts(start, end, township, user, county)
    before = _counts(same_day_last_year(start), same_day_last_year(end), township, user, county)
    return [
        Figure(key, label, now[key], before[key], is_rate=key.endswith("_rate")) for key, label in FIGURE_LABELS.items()
    ]


# --- What waits for the user (the to-do page) -----------------------------------------------------------


def findings_due(user: User, by: date) -> QuerySet[Finding]:
    """Findings in the user's scope that their follower still has to rectify, due by `by` or overdue,
    earliest first. One submitted for closure waits for staff, not for its follower."""
    waiting_for_staff = (Finding.Status.SUBMITTED, Finding.Status.CLOSED)
    return findings_for(user).exclude(status__in=waiting_for_staff).filter(due_on__lte=by).order_by("due_on", "id")


def findings_to_close(user: User) -> QuerySet[Finding]:
    """Findings submitted for closure that the user may verify (对账销号): never those the user follows."""
    submitted = findings_for(user).filter(status=Finding.Status.SUBMITTED)
    return submitted.exclude(owner=user).order_by("due_on", "id")


# --- The city's comparison of its counties (cities.selectors.county_comparison) --------------------------


@dataclass(frozen=True)
class CountyFindingCounts:
    found: int  # findings found in the year
    closed: int  # of them closed (对账销号)
    closed_on_time: int  # of those, closed by their due date


def finding_counts_by_district(year: int, district_ids: list[int] | None = None) -> dict[int, CountyFindingCounts]:
    """district id → the year's findings of the county's villages, closed and closed on time, in one query
    (a county with none is missing)."""
    findings = Finding.objects.filter(found_on__range=(date(year, 1, 1), date(year, 12, 31)))
    if district_ids is not None:
        findings = findings.filter(village__township__district_id__in=district_ids)
    closed = Q(status=Finding.Status.CLOSED)
    rows = findings.values("village__township__district_id").annotate(
        found=Count("id"),
        closed=Count("id", filter=closed),
        on_time=Count("id", filter=closed & Q(closed_on__lte=F("due_on"))),
    )
    return {
        row["village__township__district_id"]: CountyFindingCounts(row["found"], row["closed"], row["on_time"])
        for row in rows.order_by()
    }
