"""Open data others can reuse (issue 19): the licence it is published under, whether a change since the
previous period compares like with like, and the bulk file of every published period with its category
scores, so that anyone can recompute grades, ranks and changes across the years.

A change is comparable when both periods were scored under the same scheme version (a scheme row is one
name and version): a new version may move points between indicators or the thresholds, as the CPI's 2012
method change did, so a village's change across it is partly the method's."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum, Window
from django.db.models.functions import Lag

from .models import Category, OpenDataLicence, Round, Score, VillageResult
from .selectors import _earlier_published_rounds


def open_data_licence() -> OpenDataLicence:
    return OpenDataLicence.current()


@dataclass(frozen=True)
class PreviousPeriod:
    """The villages' totals in the previous published period, and whether it used the same scheme version."""

    totals: dict[int, Decimal]
    same_scheme: bool | None  # None: no previous period


def previous_period(round_: Round, village_ids: Iterable[int]) -> PreviousPeriod:
    """The previous published period's totals of the villages (scoring.selectors.previous_totals) with its
    scheme, in one query."""
    previous = Subquery(_earlier_published_rounds(round_).values("pk")[:1])
    rows = VillageResult.objects.filter(round=previous, village_id__in=village_ids).values_list(
        "village_id", "total", "round__period__scheme_id"
    )
    totals: dict[int, Decimal] = {}
    schemes: set[int] = set()
    for village_id, total, scheme_id in rows:
        totals[village_id] = total
        schemes.add(scheme_id)
    return PreviousPeriod(totals, (schemes == {round_.period.scheme_id}) if schemes else None)


# --- The bulk file ---------------------------------------------------------------------------------------

BULK_FIELDS = (
    "code",
    "name",
    "township_code",
    "township",
    "county_code",
    "county",
    "period",
    "scheme",
    "total",
    "grade",
    "township_rank",
    "district_rank",
    "change",
    "veto",
    "comparable",
    "bonus",
)


@dataclass(frozen=True)
class BulkRow:
    """One village in one published period (its latest revision), with its points per category: the
    categories and the bonus sum to the total."""

    code: str
    name: str
    township_code: str
    township: str
    county_code: str
    county: str
    period: str
    scheme: str
    total: Decimal
    grade: str
    township_rank: int
    district_rank: int
    change: Decimal | None
    veto: bool
    comparable: bool | None
    bonus: Decimal
    categories: tuple[Decimal | None, ...]  # in the order of BulkFile.categories; None: not in the scheme


@dataclass(frozen=True)
class BulkFile:
    categories: list[str]  # the category names of every published scheme, first appearance first
    rows: Iterator[BulkRow]


def _latest_revisions(rounds: Iterable[Round]) -> list[Round]:
    """The current published revision of each period among `rounds` (public_rounds' order)."""
    latest: dict[int, Round] = {}
    for round_ in rounds:
        latest.setdefault(round_.period_id, round_)
    return list(latest.values())


def _previous_rounds(rounds: list[Round]) -> dict[int, int]:
    """round id → the round of the previous published period of the same county and kind (year or
    half-year), as _earlier_published_rounds picks it."""
    ordered = sorted(rounds, key=lambda round_: (round_.period.year, round_.period.half or 0))
    last: dict[tuple[int, bool], int] = {}
    previous: dict[int, int] = {}
    for round_ in ordered:
        kind = (round_.period.district_id, round_.period.half is None)
        if kind in last:
            previous[round_.pk] = last[kind]
        last[kind] = round_.pk
    return previous


def _category_names(rounds: list[Round]) -> list[str]:
    names = Category.objects.filter(scheme__periods__rounds__in=rounds).order_by("scheme_id", "position", "pk")
    return list(dict.fromkeys(names.values_list("name", flat=True)))


def _village_previous(field: str) -> Window:
    """`field` of the village's result before this one among the rows, of the same kind (year or half-year)."""
    return Window(
        Lag(field),
        partition_by=[F("village_id"), ExpressionWrapper(Q(round__period__half__isnull=True), BooleanField())],
        order_by=[F("round__period__year").asc(), F("round__period__half").asc(nulls_first=True)],
    )


def _bulk_results(rounds: list[Round], categories: list[str]) -> QuerySet[VillageResult, dict[str, Any]]:
    """Every result of `rounds` with the total and round of the village's previous result of the same kind
    (a window over these rows) and its points per category, in one query."""
    points = {
        f"category_{i}": Subquery(
            Score.objects.filter(round=OuterRef("round"), village=OuterRef("village"), indicator__category__name=name)
            .order_by()
            .values("round")
            .annotate(points=Sum("points"))
            .values("points")
        )
        for i, name in enumerate(categories)
    }
    results: QuerySet[VillageResult, dict[str, Any]] = (
        VillageResult.objects.filter(round__in=rounds)
        .annotate(
            previous_total=_village_previous("total"),
            previous_round=_village_previous("round_id"),
            **points,
        )
        .values(
            "round_id",
            "village__code",
            "village__name",
            "village__township__code",
            "village__township__name",
            "total",
            "bonus_points",
            "grade",
            "township_rank",
            "district_rank",
            "vetoed",
            "previous_total",
            "previous_round",
            *points,
        )
        .order_by(
            "round__period__district__code",
            "round__period__year",
            F("round__period__half").asc(nulls_last=True),
            "district_rank",
            "village__code",
        )
    )
    return results


def bulk_file(published: Iterable[Round], *, chunk_size: int = 2000) -> BulkFile:
    """The results of every period of `published` (public_rounds, narrowed to a county when asked), row by
    row: they are read from the database in chunks as they are written out, so memory does not grow with
    the years."""
    rounds = _latest_revisions(published)
    by_id = {round_.pk: round_ for round_ in rounds}
    previous = _previous_rounds(rounds)
    categories = _category_names(rounds)

    def rows() -> Iterator[BulkRow]:
        if not rounds:
            return
        for result in _bulk_results(rounds, categories).iterator(chunk_size=chunk_size):
            round_ = by_id[result["round_id"]]
            # The window's previous row is the previous period's only when the village was in that period.
            follows = result["previous_round"] is not None and result["previous_round"] == previous.get(round_.pk)
            yield BulkRow(
                code=result["village__code"],
                name=result["village__name"],
                township_code=result["village__township__code"],
                township=result["village__township__name"],
                county_code=round_.period.district.code,
                county=round_.period.district.name,
                period=round_.period.code,
                scheme=str(round_.period.scheme),
                total=result["total"],
                grade=result["grade"],
                township_rank=result["township_rank"],
                district_rank=result["district_rank"],
                change=result["total"] - result["previous_total"] if follows else None,
                veto=result["vetoed"],
                comparable=(
                    by_id[result["previous_round"]].period.scheme_id == round_.period.scheme_id if follows else None
                ),
                bonus=result["bonus_points"],
                categories=tuple(result[f"category_{i}"] for i in range(len(categories))),
            )

    return BulkFile(categories, rows())
