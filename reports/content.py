"""What a yearly analysis report (清廉指数分析报告) says, gathered from the data: for one township, or for
the whole county (区/县, "district") as its summary. Figures only for petitions: no identity, no summary.

Everything stays inside the report's county: its villages, findings and petitions, its townships' ranks.
The district report is an analysis of its townships side by side; it never compares the district with
itself. A township's report sets the township beside the district ("全区", or "全县"/"全市" for a county
or a county-level city).

The problems and suggestions (指出问题、提出建议) are drafted by rules over the same figures; each
comes with the figures behind it as sentences, and staff may edit the text before the final build."""

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils import timezone

from inspections.models import Finding
from petitions.models import Petition, Visit
from petitions.selectors import figures as petition_figures
from petitions.visit_selectors import visit_figures
from scoring.models import Category, Grade, Period, Round, Score, VillageResult
from scoring.selectors import (
    changes_since_previous,
    follow_ups,
    grade_counts,
    previous_totals,
    published_round,
)
from stars.selectors import stars_by_village
from villages.models import District, Township

TWO = Decimal("0.01")
# How a report names the whole of its county, by the county's kind.
WHOLE: dict[str, str] = {
    District.Kind.DISTRICT: "全区",
    District.Kind.COUNTY: "全县",
    District.Kind.COUNTY_CITY: "全市",
}


class NoPublishedIndex(Exception):
    """The year has no published integrity index to report on."""


def report_round(year: int, district: District) -> Round:
    """The county's published index of the year: the latest published revision of its yearly period."""
    period = Period.objects.filter(district=district, year=year, half__isnull=True).first()
    round_ = published_round(period) if period else None
    if round_ is None:
        raise NoPublishedIndex(year)
    return round_


def whole_of(district: District) -> str:
    """全区, 全县 or 全市: how the report names its whole county."""
    return WHOLE.get(district.kind, WHOLE[District.Kind.DISTRICT])


def points(value: Decimal) -> str:
    """Points as a sentence says them: 25, 18.2, 1.35 (no trailing zeros)."""
    return f"{value.normalize():f}"


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal("0")


def _average(totals: list[Decimal]) -> Decimal:
    return (sum(totals, Decimal("0")) / len(totals)).quantize(TWO) if totals else Decimal("0")


@dataclass
class UnitLine:
    """A township (or the district) in the summary: grades, average and where it stands."""

    code: str
    name: str
    villages: int
    counts: dict[str, int]
    shares: dict[str, Decimal]  # per grade, % of the villages
    average: Decimal
    change: Decimal | None  # of the average, since the previous period
    rank: int | None = None  # by average among the townships; the district has none


def _unit_line(code: str, name: str, results: list[VillageResult], previous: dict[int, Decimal]) -> UnitLine:
    counts = grade_counts(results)
    earlier = [previous[r.village_id] for r in results if r.village_id in previous]
    average = _average([r.total for r in results])
    return UnitLine(
        code,
        name,
        len(results),
        counts,
        {grade: _share(count, len(results)) for grade, count in counts.items()},
        average,
        average - _average(earlier) if earlier else None,
    )


def _township_lines(by_township: dict[int, list[VillageResult]], previous: dict[int, Decimal]) -> list[UnitLine]:
    """Every township of the round, best average first, with its competition rank (1, 2, 2, 4)."""
    lines = [
        _unit_line(results[0].village.township.code, results[0].village.township.name, results, previous)
        for results in by_township.values()
    ]
    for line in lines:
        line.rank = 1 + sum(other.average > line.average for other in lines)
    return sorted(lines, key=lambda line: (line.rank or 0, line.code))


@dataclass
class RankingLine:
    township: str
    name: str
    total: Decimal
    grade: str
    township_rank: int
    district_rank: int
    stars: int | None
    change: Decimal | None
    vetoed: bool


@dataclass
class CategoryLine:
    name: str
    maximum: Decimal
    average: Decimal  # here: the township's, or the district's in the district report
    district_average: Decimal

    @property
    def rate(self) -> Decimal:
        """Average as a share of the maximum, in %."""
        return (self.average * 100 / self.maximum).quantize(Decimal("0.1")) if self.maximum else Decimal("0")


@dataclass
class TownshipCategories:
    """One township's average per category (the district report's table), in the categories' order."""

    name: str
    averages: list[Decimal]


@dataclass
class WeakIndicator:
    code: str
    name: str
    category: str
    average_lost: Decimal
    villages_losing: int
    worst: list[tuple[str, str, Decimal]]  # (township, village, points lost)


@dataclass
class BottomLine:
    """One of a township's bottom three (清廉问诊)."""

    township: str
    name: str
    township_rank: int
    total: Decimal
    grade: str
    diagnosed_on: date | None  # the latest diagnosis, if one was held


@dataclass
class PairLine:
    """A C village and the village that helps it (结对帮扶), or the partner suggested while none is confirmed."""

    township: str
    helped: str
    helped_total: Decimal
    helper: str | None
    helper_total: Decimal | None
    suggested: str | None
    visits: int
    last_visit: date | None


@dataclass
class Suggestion:
    problem: str
    suggestion: str
    figures: list[str] = field(default_factory=list)  # the figures behind it, as sentences


@dataclass
class ReportContent:
    year: int
    round_label: str
    title: str
    district_id: int  # the county the report belongs to
    whole: str  # 全区 / 全县 / 全市
    township_name: str | None
    villages: int
    counts: dict[str, int]
    district_counts: dict[str, int]
    average: Decimal
    district_average: Decimal
    previous_average: Decimal | None
    summary: list[UnitLine]  # the township and the district, or (district report) every township
    district: UnitLine
    categories: list[CategoryLine]
    township_categories: list[TownshipCategories]  # the district report's only
    ranking: list[RankingLine]
    weak_indicators: list[WeakIndicator]
    bottom: list[BottomLine]
    pairs: list[PairLine]
    findings: dict
    petitions: dict
    suggestions: list[Suggestion]
    township_count: int  # the townships of the district, which a township's rank is among
    own: UnitLine | None = None  # the township's line, with that rank

    @property
    def is_district(self) -> bool:
        return self.township_name is None

    @property
    def overview(self) -> str:
        """The summary in one sentence: grades, average, where it stands, and against last year."""
        grades = "，".join(
            f"{grade}类 {count} 个（占 {_share(count, self.villages)}%）" for grade, count in self.counts.items()
        )
        unit = f"{self.whole} {self.township_count} 个镇街" if self.is_district else self.township_name
        text = f"{unit}共有村居 {self.villages} 个，其中{grades}；平均分 {self.average} 分"
        if not self.is_district:
            text += f"，{_than_district(self.average, self.district_average, self.whole)}"
            if self.own:
                text += f"，在{self.whole} {self.township_count} 个镇街中排第 {self.own.rank} 位"
        if self.previous_average is not None:
            text += f"；上年平均分 {self.previous_average} 分，{_since(self.average - self.previous_average)}"
        return f"{text}。"

    def checksum(self) -> str:
        """A fingerprint of the data the report was built from (the drafted text excluded)."""
        data = asdict(self)
        data.pop("suggestions")
        return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def _category_lines(
    round_: Round, results: list[VillageResult], by_township: dict[int, list[VillageResult]], township
) -> tuple[list[CategoryLine], list[TownshipCategories]]:
    """Per category the average here and in the district, and per township (for the district report),
    all from one aggregate of points by township and category."""
    points_by: defaultdict[int, defaultdict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in (
        Score.objects.filter(round=round_, village__township__in=list(by_township))
        .values("village__township", "indicator__category")
        .annotate(points=Sum("points"))
    ):
        points_by[row["indicator__category"]][row["village__township"]] += row["points"]
    # Each category's maximum in the same query as the categories, not one aggregate per category.
    categories = list(
        Category.objects.filter(scheme=round_.period.scheme)
        .annotate(maximum=Sum("indicators__max_points"))
        .order_by("position")
    )
    district_villages = sum(len(r) for r in by_township.values())

    def average(category: Category, township_ids: list[int], villages: int) -> Decimal:
        total = sum((points_by[category.pk][pk] for pk in township_ids), Decimal("0"))
        return (total / villages).quantize(TWO) if villages else Decimal("0")

    here = [township.pk] if township else list(by_township)
    lines = [
        CategoryLine(
            category.name,
            category.maximum or Decimal("0"),
            average(category, here, len(results)),
            average(category, list(by_township), district_villages),
        )
        for category in categories
    ]
    per_township = [
        TownshipCategories(
            rows[0].village.township.name, [average(category, [pk], len(rows)) for category in categories]
        )
        for pk, rows in sorted(by_township.items(), key=lambda item: item[1][0].village.township.code)
    ]
    return lines, [] if township else per_township


def _weak_indicators(round_: Round, village_ids: list[int], limit: int = 5) -> list[WeakIndicator]:
    """The indicators with the most points lost on average, and the villages that lost most on each."""
    lost = (
        Score.objects.filter(round=round_, village_id__in=village_ids)
        .annotate(lost=F("indicator__max_points") - F("points"))
        .values(
            "indicator",
            "indicator__code",
            "indicator__name",
            "indicator__category__name",
            "village__township__name",
            "village__name",
            "lost",
        )
    )
    by_indicator: dict[int, list] = defaultdict(list)
    for row in lost:
        by_indicator[row["indicator"]].append(row)
    weak = []
    for rows in by_indicator.values():
        total_lost = sum((row["lost"] for row in rows), Decimal("0"))
        if not total_lost:
            continue
        losing = sorted((row for row in rows if row["lost"] > 0), key=lambda row: -row["lost"])
        first = rows[0]
        weak.append(
            WeakIndicator(
                first["indicator__code"],
                first["indicator__name"],
                first["indicator__category__name"],
                (total_lost / len(village_ids)).quantize(TWO),
                len(losing),
                [(row["village__township__name"], row["village__name"], row["lost"]) for row in losing[:3]],
            )
        )
    return sorted(weak, key=lambda item: (-item.average_lost, item.code))[:limit]


def _follow_up_lines(
    round_: Round, townships: list[Township], totals: dict[int, Decimal]
) -> tuple[list[BottomLine], list[PairLine]]:
    """Each township's bottom three with their latest diagnosis, and its C villages with their partner
    (`totals`: village id → total, for the helpers)."""
    bottom, pairs = [], []
    names = {township.pk: township.name for township in townships}
    for township_id, plan in follow_ups(round_, townships).items():
        bottom += [
            BottomLine(
                names[township_id],
                r.village.name,
                r.township_rank,
                r.total,
                r.grade,
                max((d.held_on for d in r.diagnoses), default=None),  # type: ignore[attr-defined]
            )
            for r in plan.bottom
        ]
        for r in plan.c_villages:
            pairing = r.pairing  # type: ignore[attr-defined]
            visits = list(pairing.visits.all()) if pairing else []
            suggested = r.suggested_helper  # type: ignore[attr-defined]
            pairs.append(
                PairLine(
                    names[township_id],
                    r.village.name,
                    r.total,
                    pairing.helper.name if pairing else None,
                    totals.get(pairing.helper_id) if pairing else None,
                    suggested.name if suggested else None,
                    len(visits),
                    max((visit.visited_on for visit in visits), default=None),
                )
            )
    return bottom, pairs


def _findings(year: int, township: Township | None, district: District) -> dict:
    findings = Finding.objects.filter(found_on__year=year, village__township__district=district)
    if township:
        findings = findings.filter(village__township=township)
    today = timezone.localdate()
    return {
        "total": findings.count(),
        "closed": findings.filter(status=Finding.Status.CLOSED).count(),
        "overdue": findings.filter(overdue_since__isnull=False).exclude(status=Finding.Status.CLOSED).count(),
        "overdue_30": findings.exclude(status=Finding.Status.CLOSED)
        .filter(due_on__lt=today - timedelta(days=30))
        .count(),
        "reopened": findings.filter(status=Finding.Status.REOPENED).count(),
        "by_category": list(findings.values_list("category__name").annotate(n=Count("id")).order_by("-n")),
    }


def _petitions(year: int, township: Township | None, district: District) -> dict:
    today = timezone.localdate()
    end = min(date(year, 12, 31), today)
    county_petitions = Petition.objects.filter(district=district)
    result = petition_figures(date(year, 1, 1), end, township, petitions=county_petitions)
    return {
        "total": result.total,
        "rural": result.rural,
        "by_class": result.by_class,
        "by_category": result.by_category,
        "closure_rate": result.closure_rate,
        "listed": result.listed,
        "struck_off": result.struck_off,
        "on_time_rate": result.on_time_rate,
        # 主动下访: its issues registered as petitions are among `total` already (channel 下访).
        "visits": visit_figures(date(year, 1, 1), end, township, visits=Visit.objects.filter(district=district)),
        "until": end,
    }


def _since(change: Decimal) -> str:
    if change > 0:
        return f"上升 {points(change)} 分"
    if change < 0:
        return f"下降 {points(-change)} 分"
    return "持平"


def _than_district(here: Decimal, district: Decimal, whole: str) -> str:
    difference = here - district
    if difference < 0:
        return f"低于{whole}平均 {points(-difference)} 分"
    if difference > 0:
        return f"高于{whole}平均 {points(difference)} 分"
    return f"与{whole}平均持平"


def _weakest_category(content: ReportContent) -> Suggestion:
    weakest = min(content.categories, key=lambda line: line.rate if line.maximum else Decimal("100"))
    here, maximum = points(weakest.average), points(weakest.maximum)
    item = next((item for item in content.weak_indicators if item.category == weakest.name), None)
    detail = f"，{content.villages}个村居中有{item.villages_losing}个在“{item.name}”上失分" if item else ""
    if content.is_district:
        position = content.categories.index(weakest)
        lowest = min(content.township_categories, key=lambda line: line.averages[position])
        problem = f"“{weakest.name}”是得分率最低的类别，平均{here}分（满分{maximum}分）{detail}。"
        figures = [
            f"{weakest.name}类平均得分 {here}（满分 {maximum}），得分率 {weakest.rate}%，为各类别最低",
            f"各镇街中{lowest.name}最低，平均得分 {points(lowest.averages[position])}",
        ]
    else:
        district = points(weakest.district_average)
        problem = (
            f"“{weakest.name}”是得分率最低的类别，平均{here}分（满分{maximum}分，{content.whole}平均{district}分）"
            f"{detail}。"
        )
        figures = [
            f"{weakest.name}类平均得分 {here}（满分 {maximum}），"
            f"{_than_district(weakest.average, weakest.district_average, content.whole)}"
        ]
    if item:
        figures.append(
            f"{content.villages}个村居中有{item.villages_losing}个在“{item.name}”上失分，"
            f"平均每村失分 {points(item.average_lost)}"
        )
    return Suggestion(problem, f"围绕“{weakest.name}”开展专项整治，逐村对照失分项制定整改清单。", figures)


def _c_villages(content: ReportContent, count: int) -> Suggestion:
    share = _share(count, content.villages)
    if content.is_district:
        spread = sum(1 for line in content.summary if line.counts[Grade.C])
        figures = [
            f"C类村居 {count} 个，占{content.whole} {content.villages} 个村居的 {share}%，分布在 {spread} 个镇街"
        ]
    else:
        district = content.district_counts[Grade.C]
        figures = [
            f"C类村居 {count} 个，占本镇街 {content.villages} 个村居的 {share}%；"
            f"{content.whole} C类村居 {district} 个，占 {content.district.shares[Grade.C]}%"
        ]
    return Suggestion(
        f"有{count}个村居为C类（占{share}%）。", "对C类村居落实结对帮扶和清廉问诊，明确整改目标和责任人。", figures
    )


def draft_suggestions(content: ReportContent) -> list[Suggestion]:
    """指出问题、提出建议, by rules over the figures; each states the figures it rests on."""
    suggestions = []
    if content.categories:
        suggestions.append(_weakest_category(content))
    c_count = content.counts.get(Grade.C, 0)
    if c_count:
        suggestions.append(_c_villages(content, c_count))
    if content.previous_average is not None and content.average < content.previous_average:
        fall = points(content.previous_average - content.average)
        suggestions.append(
            Suggestion(
                f"平均分由上年的{content.previous_average}分降至{content.average}分。",
                "分析下降原因，对下降明显的村居开展回头看。",
                [f"本年平均分 {points(content.average)}，上年 {points(content.previous_average)}，下降 {fall} 分"],
            )
        )
    findings = content.findings
    if findings["overdue_30"]:
        suggestions.append(
            Suggestion(
                f"巡察发现的问题中有{findings['overdue_30']}个超过整改期限30天以上仍未销号。",
                "对逾期问题逐一督办，逾期未改的约谈村主要负责人。",
                [
                    f"本年发现问题 {findings['total']} 个，已销号 {findings['closed']} 个，"
                    f"超过整改期限30天以上仍未销号 {findings['overdue_30']} 个"
                ],
            )
        )
    total = content.petitions["total"]
    if total.change is not None and total.change >= 20:
        suggestions.append(
            Suggestion(
                f"涉纪信访{total.value}件，同比上升{total.change}%。",
                "梳理信访集中的问题类别，开展源头治理，对重复信访挂牌督办。",
                [f"涉纪信访 {total.value} 件，上年同期 {total.previous} 件，同比上升 {total.change}%"],
            )
        )
    if not suggestions:
        suggestions.append(
            Suggestion("各项指标总体良好，未发现突出问题。", "保持清廉村居建设常态长效，推广先进村居经验。")
        )
    return suggestions


def report_content(year: int, unit: Township | District) -> ReportContent:
    """Everything the report shows, for a township or for its county (the county's summary)."""
    township, county = (unit, unit.district) if isinstance(unit, Township) else (None, unit)
    round_ = report_round(year, county)
    all_results = list(
        VillageResult.objects.filter(round=round_, village__township__district=county)
        .select_related("village__township")
        .order_by("district_rank", "village__code")
    )
    by_township: dict[int, list[VillageResult]] = defaultdict(list)
    for result in all_results:
        by_township[result.village.township_id].append(result)
    results = by_township.get(township.pk, []) if township else all_results
    previous = previous_totals(round_, [r.village_id for r in all_results])
    changes = changes_since_previous({r.village_id: r.total for r in results}, previous)
    stars = stars_by_village(year, [r.village_id for r in results])
    townships = _township_lines(by_township, previous)
    whole = whole_of(county)
    district = _unit_line("", whole, all_results, previous)
    own = next((line for line in townships if township and line.code == township.code), None)
    ranking = [
        RankingLine(
            r.village.township.name,
            r.village.name,
            r.total,
            r.grade,
            r.township_rank,
            r.district_rank,
            stars.get(r.village_id),
            changes.get(r.village_id),
            r.vetoed,
        )
        for r in results
    ]
    ordered_townships = sorted({r.village.township for r in results}, key=lambda t: t.code)
    bottom, pairs = _follow_up_lines(round_, ordered_townships, {r.village_id: r.total for r in all_results})
    earlier = [previous[r.village_id] for r in results if r.village_id in previous]
    categories, township_categories = _category_lines(round_, results, by_township, township)
    content = ReportContent(
        year=year,
        round_label=f"{round_.period.code} 第{round_.revision}版",
        title=f"{(township or county).name}{year}年度清廉指数分析报告",
        district_id=county.pk,
        whole=whole,
        township_name=township.name if township else None,
        villages=len(results),
        counts=grade_counts(results),
        district_counts=district.counts,
        average=_average([r.total for r in results]),
        district_average=district.average,
        previous_average=_average(earlier) if earlier else None,
        summary=townships if township is None else [line for line in (own, district) if line],
        district=district,
        categories=categories,
        township_categories=township_categories,
        ranking=ranking,
        weak_indicators=_weak_indicators(round_, [r.village_id for r in results]),
        bottom=bottom,
        pairs=pairs,
        findings=_findings(year, township, county),
        petitions=_petitions(year, township, county),
        suggestions=[],
        township_count=len(townships),
        own=own,
    )
    content.suggestions = draft_suggestions(content)
    return content
