"""What a village's cadres read about their own village. The village is always the signed-in cadre's own
(accounts: a village role is bound to exactly one village), so nothing here takes a code from the request."""

from dataclasses import dataclass
from decimal import Decimal

from inspections.models import Finding
from inspections.selectors import village_findings
from scoring.models import Round, VillageResult
from scoring.selectors import (
    CategoryBlock,
    VillageHistoryLine,
    checkup_sheet,
    latest_published_round,
    public_village_history,
    village_result,
)
from stars.models import StarApplication
from stars.selectors import village_applications
from villages.models import Village


@dataclass
class VillageOverview:  # 本村情况: the village cadres' home page
    village: Village
    round: Round | None  # the county's latest published index
    result: VillageResult | None
    sheet: list[CategoryBlock]  # 体检单 of that round; empty without a result
    lost: Decimal  # points lost in that round
    history: list[VillageHistoryLine]
    applications: list[StarApplication]  # with `stars` annotated
    findings: list[Finding]
    open_findings: int


def village_overview(village: Village) -> VillageOverview:
    round_ = latest_published_round(village.township.district_id)
    result = village_result(round_, village)
    sheet = checkup_sheet(round_, village) if round_ is not None and result is not None else []
    findings = list(village_findings(village))
    return VillageOverview(
        village=village,
        round=round_,
        result=result,
        sheet=sheet,
        lost=sum((block.lost for block in sheet), Decimal("0")),
        history=public_village_history(village),
        applications=list(village_applications(village)),
        findings=findings,
        open_findings=sum(finding.status != Finding.Status.CLOSED for finding in findings),
    )
