"""Totals, grades (A ≥ 90 green, B ≥ 80 yellow, C red), the veto, competition ranks, the bottom three."""

from decimal import Decimal

import pytest

from scoring.models import BonusItem, BonusScore, Grade, Indicator, VetoEvent, VetoItem
from scoring.selectors import bottom_three
from scoring.services import competition_ranks, grade_for, round_compute_results

from ..factories import VillageFactory
from ..scoring_helpers import default_scheme, fill_scores, make_round


def test_the_default_scheme_is_the_four_cleans_with_23_indicators_summing_to_100(db):
    scheme = default_scheme()
    assert scheme.is_example
    assert [c.name for c in scheme.categories.all()] == ["班子清廉", "干部清正", "村务清爽", "民风清朗"]
    indicators = Indicator.objects.filter(scheme=scheme)
    assert indicators.count() == 23
    assert sum(i.max_points for i in indicators) == Decimal("100")
    assert scheme.bonus_cap == Decimal("5.00") and scheme.veto_items.count() == 3


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "A"), ("90.00", "A"), ("89.99", "B"), ("80.00", "B"), ("79.99", "C"), ("0", "C"), ("104.50", "A")],
)
def test_grade_boundaries(db, total, grade):
    assert grade_for(Decimal(total), default_scheme()) == grade


def test_a_veto_caps_the_grade_at_c(db):
    assert grade_for(Decimal("99.36"), default_scheme(), vetoed=True) == Grade.C


@pytest.mark.parametrize(
    ("values", "ranks"),
    [
        ([95, 90, 90, 85], [1, 2, 2, 4]),
        ([80, 80, 80], [1, 1, 1]),
        ([70, 99, 85, 99], [4, 1, 3, 1]),
    ],
)
def test_competition_ranks(values, ranks):
    result = competition_ranks(dict(enumerate(values)))
    assert [result[i] for i in range(len(values))] == ranks


@pytest.fixture
def scored_township(cast):
    """Secretary A's township with five villages scored 99.36, 91, 91, 85.5 and 79.99."""
    round_ = make_round()
    villages = [cast.village_a] + [VillageFactory(township=cast.township_a) for _ in range(4)]
    for village, total in zip(villages, ["99.36", "91", "91", "85.5", "79.99"], strict=True):
        fill_scores(round_, village, total)
    fill_scores(round_, cast.village_b, "88")
    return round_, villages


def test_results_store_totals_grades_and_ranks(scored_township, cast):
    round_, villages = scored_township
    results = {r.village_id: r for r in round_compute_results(round_)}
    assert [results[v.pk].total for v in villages] == [Decimal(t) for t in ["99.36", "91", "91", "85.5", "79.99"]]
    assert [results[v.pk].grade for v in villages] == ["A", "A", "A", "B", "C"]
    assert [results[v.pk].township_rank for v in villages] == [1, 2, 2, 4, 5]
    # In the district the other township's 88 sits between 91 and 85.5.
    assert [results[v.pk].district_rank for v in villages] == [1, 2, 2, 5, 6]
    assert results[cast.village_b.pk].township_rank == 1 and results[cast.village_b.pk].district_rank == 4


def test_a_veto_event_makes_the_village_c_with_its_reason(scored_township):
    round_, villages = scored_township
    item = VetoItem.objects.get(scheme=round_.period.scheme, code="FJ1")
    VetoEvent.objects.create(round=round_, village=villages[0], item=item, reason="村主任受党内警告处分")
    result = next(r for r in round_compute_results(round_) if r.village_id == villages[0].pk)
    assert result.total == Decimal("99.36") and result.grade == "C" and result.vetoed
    assert "村主任受党内警告处分" in result.veto_reason


def test_bonus_points_are_capped_at_five(scored_township):
    round_, villages = scored_township
    for item in BonusItem.objects.filter(scheme=round_.period.scheme):
        BonusScore.objects.create(round=round_, village=villages[3], item=item, points=item.max_points, reason="表彰")
    result = next(r for r in round_compute_results(round_) if r.village_id == villages[3].pk)
    assert result.bonus_points == Decimal("5") and result.total == Decimal("90.5") and result.grade == "A"


def test_the_bottom_three_include_every_village_tied_at_the_boundary(scored_township):
    round_, villages = scored_township
    results = [r for r in round_compute_results(round_) if r.village.township_id == villages[0].township_id]
    listed = bottom_three(results)
    assert [r.village_id for r in listed[:2]] == [villages[4].pk, villages[3].pk]
    assert {r.village_id for r in listed[2:]} == {villages[1].pk, villages[2].pk}  # tied third from the bottom


def test_bottom_three_of_a_small_township_is_all_of_it(scored_township):
    round_, _villages = scored_township
    results = [r for r in round_compute_results(round_) if r.village.township.code == "331004002"]
    assert len(bottom_three(results)) == 1
