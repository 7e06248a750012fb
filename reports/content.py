"""What a yearly analysis report (清廉指数分析报告) says, gathered from the data: for one township, or for
the whole district when `township` is None. Figures only for petitions: no identity, no summary.

The problems and suggestions (指出问题、提出建议) are drafted by rules over the same figures; each
comes with the figures behind it, and staff may edit the text before the final build."""

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils import timezone

from inspections.models import Finding
from petitions.selectors import figures as petition_figures
from scoring.models import Category, Grade, Period, Round, Score, VillageResult
from scoring.selectors import (
    TownshipShares,
    changes_since_previous,
    follow_ups,
    grade_counts,
    previous_totals,
    published_round,
    township_shares,
)
from stars.selectors import stars_by_village
from villages.models import Township

TWO = Decimal("0.01")


class NoPublishedIndex(Exception):
    """The year has no published integrity index to report on."""


def report_round(year: int) -> Round:
    period = Period.objects.filter(code=str(year)).first()
    round_ = published_round(period) if period else None
    if round_ is None:
        raise NoPublishedIndex(year)
    return round_


@dataclass
class RankingLine:
    name: str
    total: Decimal
    grade: str
    township_rank: int
    district_rank: int
    stars: int | None
    change: Decimal | None
    vetoed: bool


@dataclass
class WeakIndicator:
    code: str
    name: str
    category: str
    average_lost: Decimal
    villages_losing: int
    worst: list[tuple[str, Decimal]]  # (village, points lost)


@dataclass
class Suggestion:
    problem: str
    suggestion: str
    figures: dict = field(default_factory=dict)


@dataclass
class ReportContent:
    year: int
    round_label: str
    title: str
    township_name: str | None
    villages: int
    counts: dict
    district_counts: dict
    average: Decimal
    district_average: Decimal
    previous_average: Decimal | None
    shares: list[TownshipShares]
    categories: list[tuple[str, Decimal, Decimal, Decimal]]  # name, maximum, average here, district average
    ranking: list[RankingLine]
    weak_indicators: list[WeakIndicator]
    bottom: list[tuple[str, int, Decimal]]  # village, rank, total
    pairs: list[tuple[str, str]]  # helper, helped
    findings: dict
    petitions: dict
    suggestions: list[Suggestion]

    def checksum(self) -> str:
        """A fingerprint of the data the report was built from (the drafted text excluded)."""
        data = asdict(self)
        data.pop("suggestions")
        return hashlib.sha256(json.dumps(data, default=str, sort_keys=True).encode()).hexdigest()


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal("0")


def _average(results) -> Decimal:
    return (sum((r.total for r in results), Decimal("0")) / len(results)).quantize(TWO) if results else Decimal("0")


def _category_averages(round_: Round, village_ids: list[int], all_ids: list[int]):
    def per_category(ids):
        rows = (
            Score.objects.filter(round=round_, village_id__in=ids)
            .values("indicator__category")
            .annotate(points=Sum("points"))
        )
        return {row["indicator__category"]: row["points"] / len(ids) if ids else Decimal("0") for row in rows}

    here, district = per_category(village_ids), per_category(all_ids)
    # Each category's maximum in the same query as the categories, not one aggregate per category.
    categories = (
        Category.objects.filter(scheme=round_.period.scheme)
        .annotate(maximum=Sum("indicators__max_points"))
        .order_by("position")
    )
    lines = []
    for category in categories:
        maximum = category.maximum or 0
        lines.append(
            (
                category.name,
                maximum,
                Decimal(here.get(category.pk, 0)).quantize(TWO),
                Decimal(district.get(category.pk, 0)).quantize(TWO),
            )
        )
    return lines


def _weak_indicators(round_: Round, village_ids: list[int], limit: int = 5) -> list[WeakIndicator]:
    """The indicators with the most points lost on average, and the villages that lost most on each."""
    lost = (
        Score.objects.filter(round=round_, village_id__in=village_ids)
        .annotate(lost=F("indicator__max_points") - F("points"))
        .values("indicator", "indicator__code", "indicator__name", "indicator__category__name", "village__name", "lost")
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
                [(row["village__name"], row["lost"]) for row in losing[:3]],
            )
        )
    return sorted(weak, key=lambda item: (-item.average_lost, item.code))[:limit]


def _findings(year: int, township) -> dict:
    findings = Finding.objects.filter(found_on__year=year)
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


def _petitions(year: int, township) -> dict:
    today = timezone.localdate()
    end = min(date(year, 12, 31), today)
    result = petition_figures(date(year, 1, 1), end, township)
    return {
        "total": result.total,
        "rural": result.rural,
        "by_class": result.by_class,
        "by_category": result.by_category,
        "closure_rate": result.closure_rate,
        "listed": result.listed,
        "struck_off": result.struck_off,
        "on_time_rate": result.on_time_rate,
        "until": end,
    }


def draft_suggestions(content: ReportContent) -> list[Suggestion]:
    """指出问题、提出建议, by rules over the figures; each states the figures it rests on."""
    suggestions = []
    if content.categories:
        name, maximum, here, district = min(content.categories, key=lambda line: (line[2] / line[1]) if line[1] else 1)
        weakest = next((item for item in content.weak_indicators if item.category == name), None)
        detail = f"，{content.villages}个村居中有{weakest.villages_losing}个在“{weakest.name}”上失分" if weakest else ""
        suggestions.append(
            Suggestion(
                f"“{name}”是得分率最低的类别，平均{here}分（满分{maximum}分，全区平均{district}分）{detail}。",
                f"围绕“{name}”开展专项整治，逐村对照失分项制定整改清单。",
                {"category": name, "average": here, "maximum": maximum, "district": district},
            )
        )
    c_count = content.counts.get(Grade.C, 0)
    if c_count:
        suggestions.append(
            Suggestion(
                f"有{c_count}个村居为C类（占{_share(c_count, content.villages)}%）。",
                "对C类村居落实结对帮扶和清廉问诊，明确整改目标和责任人。",
                {"c_villages": c_count},
            )
        )
    if content.previous_average is not None and content.average < content.previous_average:
        suggestions.append(
            Suggestion(
                f"平均分由上年的{content.previous_average}分降至{content.average}分。",
                "分析下降原因，对下降明显的村居开展回头看。",
                {"average": content.average, "previous": content.previous_average},
            )
        )
    if content.findings["overdue_30"]:
        suggestions.append(
            Suggestion(
                f"巡察发现的问题中有{content.findings['overdue_30']}个超过整改期限30天以上仍未销号。",
                "对逾期问题逐一督办，逾期未改的约谈村主要负责人。",
                {"overdue_30": content.findings["overdue_30"]},
            )
        )
    total = content.petitions["total"]
    if total.change is not None and total.change >= 20:
        suggestions.append(
            Suggestion(
                f"涉纪信访{total.value}件，同比上升{total.change}%。",
                "梳理信访集中的问题类别，开展源头治理，对重复信访挂牌督办。",
                {"petitions": total.value, "change": total.change},
            )
        )
    if not suggestions:
        suggestions.append(
            Suggestion("各项指标总体良好，未发现突出问题。", "保持清廉村居建设常态长效，推广先进村居经验。")
        )
    return suggestions


def report_content(year: int, township: Township | None) -> ReportContent:
    """Everything the report shows, for a township or (None) the district."""
    round_ = report_round(year)
    all_results = list(VillageResult.objects.filter(round=round_).select_related("village__township"))
    results = [r for r in all_results if township is None or r.village.township_id == township.pk]
    village_ids = [r.village_id for r in results]
    previous = previous_totals(round_, village_ids)
    changes = changes_since_previous({r.village_id: r.total for r in results}, previous)
    stars = stars_by_village(year, village_ids)
    shares = township_shares(round_)
    ranking = [
        RankingLine(
            r.village.name,
            r.total,
            r.grade,
            r.township_rank,
            r.district_rank,
            stars.get(r.village_id),
            changes.get(r.village_id),
            r.vetoed,
        )
        for r in sorted(results, key=lambda r: (r.district_rank, r.village.code))
    ]
    bottom, pairs = [], []
    townships = (
        [township] if township else Township.objects.filter(villages__in=village_ids).distinct().order_by("code")
    )
    for plan in follow_ups(round_, townships).values():
        bottom += [(r.village.name, r.township_rank, r.total) for r in plan.bottom]
        pairs += [(r.pairing.helper.name, r.village.name) for r in plan.c_villages if r.pairing]
    previous_average = (sum(previous.values(), Decimal("0")) / len(previous)).quantize(TWO) if previous else None
    content = ReportContent(
        year=year,
        round_label=f"{round_.period.code} 第{round_.revision}版",
        title=f"{township.name if township else '全区'}{year}年度清廉指数分析报告",
        township_name=township.name if township else None,
        villages=len(results),
        counts=grade_counts(results),
        district_counts=grade_counts(all_results),
        average=_average(results),
        district_average=_average(all_results),
        previous_average=previous_average,
        shares=shares,
        categories=_category_averages(round_, village_ids, [r.village_id for r in all_results]),
        ranking=ranking,
        weak_indicators=_weak_indicators(round_, village_ids),
        bottom=bottom,
        pairs=pairs,
        findings=_findings(year, township),
        petitions=_petitions(year, township),
        suggestions=[],
    )
    content.suggestions = draft_suggestions(content)
    return content
