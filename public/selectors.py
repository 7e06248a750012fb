"""The public site's rows: the index's published results with each village's stars, as the list, the
village page and open data show them."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F, QuerySet

from scoring.open_data import previous_period
from scoring.selectors import changes_since_previous, public_results
from stars.selectors import stars_by_village

if TYPE_CHECKING:
    from scoring.models import Round
    from stars.models import StarApplication


@dataclass(frozen=True)
class PublicRow:
    """One village of a published round, as the public page and the open data show it."""

    code: str
    name: str
    township_code: str
    township: str
    period: str
    total: Decimal
    grade: str
    township_rank: int
    district_rank: int
    stars: int | None
    change: Decimal | None
    veto: bool
    # False: the change spans a change of scheme version (see scoring.open_data); None: no change
    comparable: bool | None

    OPEN_DATA_FIELDS = (
        "code",
        "name",
        "township_code",
        "township",
        "period",
        "total",
        "grade",
        "township_rank",
        "district_rank",
        "stars",
        "change",
        "veto",
        "comparable",
    )


def public_rows(round_: "Round", results: Iterable[Mapping[str, Any]] | None = None) -> list[PublicRow]:
    """PublicRows of `results` (default: every village of the round), with the change since the
    previous period looked up for just those villages."""
    results = list(public_results(round_) if results is None else results)
    village_ids: list[int] = [result["village_id"] for result in results]
    totals: dict[int, Decimal] = {result["village_id"]: result["total"] for result in results}
    previous = previous_period(round_, village_ids)
    changes = changes_since_previous(totals, previous.totals)
    stars = stars_by_village(round_.period.year, village_ids)
    period = round_.period.code
    return [
        PublicRow(
            code=result["village__code"],
            name=result["village__name"],
            township_code=result["village__township__code"],
            township=result["village__township__name"],
            period=period,
            total=result["total"],
            grade=result["grade"],
            township_rank=result["township_rank"],
            district_rank=result["district_rank"],
            stars=stars.get(result["village_id"]),
            change=changes.get(result["village_id"]),
            veto=result["vetoed"],
            comparable=previous.same_scheme if result["village_id"] in changes else None,
        )
        for result in results
    ]


def rated_townships(ratings: "QuerySet[StarApplication]") -> list[Mapping[str, Any]]:
    """The townships (code, name) of the villages in `ratings`, in code order, for the stars page's
    township filter: in one query, only those with a rating to show."""
    townships = ratings.order_by().values(code=F("village__township__code"), name=F("village__township__name"))
    return list(townships.distinct().order_by("code"))
