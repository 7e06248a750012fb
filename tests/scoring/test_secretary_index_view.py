"""The secretary's colour-coded list and the village check-up sheet: own township only, published
rounds only, few queries whatever the size."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring.models import Round
from scoring.services import round_compute_results

from ..conftest import CANARY
from ..factories import VillageFactory
from ..scoring_helpers import fill_scores, make_round


def published(code: str, totals: dict) -> Round:
    round_ = make_round(code)
    for village, total in totals.items():
        fill_scores(round_, village, total)
    round_compute_results(round_)
    round_.status = Round.Status.PUBLISHED
    round_.save()
    return round_


@pytest.fixture
def two_years(cast):
    published("2024", {cast.village_a: "88", cast.village_b: "70"})
    return published("2025", {cast.village_a: "92.5", cast.village_b: "79.5"})


def test_the_secretary_sees_the_own_villages_colour_coded_with_the_change(two_years, cast, client_for):
    page = client_for("secretary_a").get(reverse("scoring:results"))
    html = page.content.decode()
    assert [r.village_id for r in page.context["results"]] == [cast.village_a.pk]
    assert CANARY not in html
    assert 'class="grade grade-A"' in html and "92.50" in html
    assert "↑4.50" in html
    assert page.context["counts"] == {"A": 1, "B": 0, "C": 0}


def test_staff_see_every_township_and_filter_by_grade(two_years, cast, client_for):
    client = client_for("staff")
    assert len(client.get(reverse("scoring:results")).context["results"]) == 2
    only_c = client.get(reverse("scoring:results"), {"grade": "C"}).context["results"]
    assert [r.village_id for r in only_c] == [cast.village_b.pk]


def test_a_draft_round_is_not_shown(cast, client_for):
    round_ = make_round("2026")
    fill_scores(round_, cast.village_a, "90")
    round_compute_results(round_)
    assert client_for("secretary_a").get(reverse("scoring:results")).status_code == 404
    assert client_for("secretary_a").get(reverse("scoring:results"), {"period": "2026"}).status_code == 404


def test_the_secretary_export_holds_only_the_own_township(two_years, cast, client_for):
    response = client_for("secretary_a").get(reverse("scoring:results_export"))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [cast.village_a.code]


def test_the_check_up_sheet_shows_points_lost_against_the_averages(two_years, cast, client_for):
    page = client_for("secretary_a").get(reverse("scoring:checkup", args=[cast.village_a.code]))
    assert page.status_code == 200
    blocks = page.context["blocks"]
    assert [b.name for b in blocks] == ["班子清廉", "干部清正", "村务清爽", "民风清朗"]
    assert sum(b.lost for b in blocks) == Decimal("7.5")
    first = blocks[0].lines[0]
    assert (first.indicator.code, first.lost, first.previous_lost) == ("BZ1", Decimal("5"), Decimal("5"))
    assert first.township_lost == Decimal("5")


def test_another_townships_check_up_sheet_is_404(two_years, cast, client_for):
    assert client_for("secretary_a").get(reverse("scoring:checkup", args=[cast.village_b.code])).status_code == 404


@pytest.mark.parametrize("extra_villages", [0, 60])
def test_the_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, extra_villages):
    villages = {cast.village_a: "91", cast.village_b: "85"}
    for village in VillageFactory.create_batch(extra_villages, township=cast.township_a):
        villages[village] = "86"
    published("2024", villages)
    published("2025", villages)
    client = client_for("secretary_a")
    client.get(reverse("scoring:results"))  # a real session has its caches warm
    with django_assert_max_num_queries(10):  # the unread notices are read with the user
        page = client.get(reverse("scoring:results"))
    assert len(page.context["results"]) == extra_villages + 1
