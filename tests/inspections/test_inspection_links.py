"""Links to the index and the stars: a finding cited as the evidence of a deduction; a village cadre's
party or government sanction in a year vetoes that year's index (when the scheme says so) and stars."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from inspections import services
from inspections.models import PersonHandled
from scoring.models import Indicator, Score, VetoItem, VillageResult
from scoring.services import round_compute_results
from stars.selectors import veto_hits

from ..inspection_helpers import finding, inspection
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import criteria


def sanction(cast, decided_on, handling=PersonHandled.Handling.PARTY_SANCTION, cadre=True):
    round_ = inspection(cast, starts_on=date(decided_on.year, 1, 10), villages=[cast.village_a])
    return services.person_record(
        round_=round_,
        acting_user=cast.users["staff"],
        village=cast.village_a,
        name="李四",
        post="村报账员",
        village_cadre=cadre,
        handling=handling,
        decided_on=decided_on,
    )


def test_a_finding_is_cited_for_a_deduction_in_the_draft_round(cast, client_for):
    item = finding(cast, description="惠农补贴台账不符")
    round_ = make_round("2025")
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="CW5")
    response = client_for("staff").post(
        reverse("inspections:finding_action", args=[item.pk, "cite"]),
        {"round": round_.pk, "indicator": indicator.pk, "points": "2"},
    )
    assert response.status_code == 302
    score = Score.objects.get(round=round_, village=cast.village_a, indicator=indicator)
    assert (score.points, score.finding) == (Decimal("2.00"), item)
    assert "惠农补贴台账不符" in score.reason


def test_a_cadre_sanction_vetoes_that_years_index_when_the_scheme_says_so(cast):
    sanction(cast, date(2025, 5, 1))
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "96")
    fill_scores(round_, cast.village_b, "96")
    round_compute_results(round_)
    result = VillageResult.objects.get(round=round_, village=cast.village_a)
    assert (result.grade, result.vetoed) == ("C", True)
    assert "村报账员受党纪处分" in result.veto_reason and "李四" not in result.veto_reason
    assert VillageResult.objects.get(round=round_, village=cast.village_b).grade == "A"

    VetoItem.objects.filter(scheme=round_.period.scheme).update(from_sanctions=False)
    round_compute_results(round_)
    assert VillageResult.objects.get(round=round_, village=cast.village_a).grade == "A"


def test_only_sanctions_of_cadres_in_the_period_count(cast):
    sanction(cast, date(2024, 12, 31))
    sanction(cast, date(2025, 3, 1), handling=PersonHandled.Handling.ADMONITION)
    sanction(cast, date(2025, 3, 1), cadre=False)
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "96")
    round_compute_results(round_)
    assert VillageResult.objects.get(round=round_, village=cast.village_a).vetoed is False
    half = make_round("2024H2")
    fill_scores(half, cast.village_a, "96")
    round_compute_results(half)
    assert VillageResult.objects.get(round=half, village=cast.village_a).vetoed is True


def test_a_cadre_sanction_is_a_veto_hit_for_that_years_stars(cast):
    sanction(cast, date(2025, 5, 1), handling=PersonHandled.Handling.GOVERNMENT_SANCTION)
    hits = veto_hits(cast.village_a, criteria(2025))
    assert hits == ["村干部当年受到党纪政务处分：村报账员受政务处分（2025-05-01）"]
    assert veto_hits(cast.village_a, criteria(2026)) == []
