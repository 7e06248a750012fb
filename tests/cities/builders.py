"""Building a county's year for the city's comparison: rows written straight to the tables (each regime's
own tests cover how its services make them), so that every figure here is known exactly."""

from datetime import date
from decimal import Decimal

from inspections.models import Finding, InspectionRound
from petitions.models import ListedCase, Petition
from scoring.models import Round, VillageResult
from stars.models import DemonstrationNomination, StarApplication, StarStrip

from ..inspection_helpers import category
from ..scoring_helpers import make_round
from ..star_helpers import criteria


def published_index(district, totals, *, code: str = "2025") -> Round:
    """A published round of the county's period `code` with these (village, total) results, graded as
    the default scheme grades (A from 90, B from 80)."""
    round_ = make_round(code, status=Round.Status.PUBLISHED, district=district)
    VillageResult.objects.bulk_create(
        VillageResult(
            round=round_,
            village=village,
            base_points=Decimal(total),
            bonus_points=Decimal("0"),
            total=Decimal(total),
            grade="A" if Decimal(total) >= 90 else "B" if Decimal(total) >= 80 else "C",
            township_rank=rank,
            district_rank=rank,
        )
        for rank, (village, total) in enumerate(totals, start=1)
    )
    return round_


def star(village, level: int, by, *, status=StarApplication.Status.FIXED, year: int = 2025) -> StarApplication:
    """The village's rating of the year, decided at `level` (fixed unless said)."""
    return StarApplication.objects.create(
        criteria=criteria(year),
        village=village,
        level_applied=level,
        status=status,
        decided_level=level,
        filed_by=by,
    )


def strip(application: StarApplication, to: int, by) -> StarStrip:
    return StarStrip.objects.create(
        application=application,
        stars_before=application.decided_level,
        stars_after=to,
        trigger=StarStrip.Trigger.OTHER,
        reason="村干部受处分",
        stripped_on=date(2025, 10, 1),
        recorded_by=by,
    )


def nominate(application: StarApplication, level: str, by) -> DemonstrationNomination:
    return DemonstrationNomination.objects.create(application=application, level=level, nominated_by=by)


def petition(village, received_on: date, by, *, rural: bool = True) -> Petition:
    township = village.township
    return Petition.objects.create(
        district=township.district,
        received_on=received_on,
        channel=Petition.Channel.LETTER,
        subject_name="王某",
        subject_post="村委会主任",
        township=township,
        village=village,
        rural=rural,
        category=Petition.Category.SANZI,
        summary="反映集体资金去向不明",
        accept_due=received_on,
        registered_by=by,
    )


def listing(petition_: Petition, leader, *, listed_on: date, struck_off_on: date | None = None) -> ListedCase:
    return ListedCase.objects.create(
        petition=petition_,
        leader=leader,
        unit="镇党委",
        measures="约访",
        deadline=date(listed_on.year, 12, 31),
        listed_on=listed_on,
        listed_by=leader,
        struck_off_on=struck_off_on,
        resolution="已化解" if struck_off_on else "",
        verification="回访核实" if struck_off_on else "",
        struck_off_by=leader if struck_off_on else None,
    )


def inspection_round(district, by, *, starts_on: date = date(2025, 3, 1)) -> InspectionRound:
    return InspectionRound.objects.create(
        district=district,
        kind=InspectionRound.Kind.DISTRICT,
        name=f"{starts_on.year}年巡察",
        team="第一巡察组",
        team_leader="周组长",
        starts_on=starts_on,
        ends_on=starts_on,
        created_by=by,
    )


def finding(round_, village, owner, *, found_on: date, due_on: date, closed_on: date | None = None, closer=None):
    """A finding of the year, closed on `closed_on` by `closer` (another user than its follower) if given."""
    return Finding.objects.create(
        round=round_,
        village=village,
        category=category(),
        description="集体资金坐收坐支",
        owner=owner,
        found_on=found_on,
        due_on=due_on,
        status=Finding.Status.CLOSED if closed_on else Finding.Status.OPEN,
        closed_on=closed_on,
        closed_by=closer if closed_on else None,
    )
