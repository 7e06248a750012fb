"""Issue 19, open data others can reuse: every file states its open licence (data, CC BY 4.0 by default);
a bulk file holds every published period with its points per category; a change across two scheme
versions is marked not comparable in the files and on the pages."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from scoring.models import OpenDataLicence, Round
from scoring.services import round_compute_results, scheme_copy

from ..conftest import CANARY, SECOND_COUNTY_CANARY
from ..scoring_helpers import default_scheme, fill_scores, make_round

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
ALL_CSV, ALL_JSON = reverse("public:open_data_all_csv"), reverse("public:open_data_all_json")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def published(code, totals, *, scheme=None, district=None, status=Round.Status.PUBLISHED):
    round_ = make_round(code, status=status, scheme=scheme, district=district)
    for village, total in totals.items():
        fill_scores(round_, village, total)
    round_compute_results(round_)
    return round_


def bulk_rows(client, query="") -> list[dict[str, str]]:
    response = client.get(ALL_CSV + query)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_open_data_file_states_the_default_licence(cast, client):
    published("2025", {cast.village_a: "91"})
    for url in (reverse("public:open_data_csv", args=["2025"]), reverse("public:open_data_json", args=["2025"])):
        assert client.get(url)["Link"] == f'<{CC_BY}>; rel="license"'
    response = client.get(ALL_JSON)
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    data = json.loads(b"".join(response.streaming_content))
    assert (data["license"], data["license_url"]) == ("CC BY 4.0", CC_BY)


def test_the_licence_the_commission_chose_shows_in_the_files_and_on_the_pages(cast, client):
    published("2025", {cast.village_a: "91"})
    OpenDataLicence.objects.create(name="ODC-BY 1.0", url="https://opendatacommons.org/licenses/by/1-0/")
    response = client.get(ALL_JSON)
    assert response["Link"] == '<https://opendatacommons.org/licenses/by/1-0/>; rel="license"'
    assert json.loads(b"".join(response.streaming_content))["license"] == "ODC-BY 1.0"
    for page in (reverse("public:methodology"), reverse("public:index")):
        html = client.get(page).content.decode()
        assert 'href="https://opendatacommons.org/licenses/by/1-0/"' in html and "ODC-BY 1.0" in html
    assert reverse("public:open_data_all_csv") in client.get(reverse("public:methodology")).content.decode()


def test_the_system_administrator_edits_the_one_licence_in_the_admin(cast, client_for):
    admin = client_for("sysadmin")
    url = reverse("admin:scoring_opendatalicence_add")
    response = admin.post(url, {"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"})
    assert response.status_code == 302
    assert OpenDataLicence.current().name == "CC BY-SA 4.0"
    assert admin.get(url).status_code == 403  # one row: it is changed, not added again


def test_the_bulk_file_has_each_period_with_its_points_per_category(cast, client):
    published("2024", {cast.village_a: "85.50"})
    published("2025", {cast.village_a: "91", cast.village_b: "78"})
    rows = bulk_rows(client)
    categories = ["班子清廉", "干部清正", "村务清爽", "民风清朗"]
    assert list(rows[0]) == [
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
        *categories,
    ]
    # The round's results cover every village of the county: the canary has none in 2024 (no scores).
    assert [(row["period"], row["name"], row["total"], row["change"], row["comparable"]) for row in rows] == [
        ("2024", "石曲村", "85.50", "", ""),
        ("2024", CANARY, "0.00", "", ""),
        ("2025", "石曲村", "91.00", "5.50", "true"),
        ("2025", CANARY, "78.00", "78.00", "true"),
    ]
    for row in rows[2:]:
        assert sum(Decimal(row[name]) for name in categories) + Decimal(row["bonus"]) == Decimal(row["total"])


def test_a_change_across_scheme_versions_is_flagged_not_comparable(cast, client):
    published("2024", {cast.village_a: "85"})
    published(
        "2025", {cast.village_a: "91"}, scheme=scheme_copy(scheme=default_scheme(), acting_user=cast.users["sysadmin"])
    )
    row = bulk_rows(client)[2]
    assert (row["period"], row["name"], row["change"], row["comparable"]) == ("2025", "石曲村", "6.00", "false")
    data = json.loads(b"".join(client.get(ALL_JSON).streaming_content))
    assert (data["rows"][2]["change"], data["rows"][2]["comparable"]) == ("6.00", False)
    assert data["rows"][2]["categories"]["班子清廉"] is not None
    period_row = json.loads(client.get(reverse("public:open_data_json", args=["2025"])).content)[0]
    assert list(period_row)[-1] == "comparable" and period_row["comparable"] is False
    index = client.get(reverse("public:index")).content.decode()
    village = client.get(reverse("public:village", args=["2025", cast.village_a.code])).content.decode()
    for html in (index, village):
        assert 'class="not-comparable"' in html
    methodology = client.get(reverse("public:methodology")).content.decode()
    assert 'id="comparable"' in methodology


def test_a_change_under_the_same_scheme_is_comparable_on_the_pages(cast, client):
    published("2024", {cast.village_a: "85"})
    published("2025", {cast.village_a: "91"})
    period_row = json.loads(client.get(reverse("public:open_data_json", args=["2025"])).content)[0]
    assert period_row["comparable"] is True
    assert 'class="not-comparable"' not in client.get(reverse("public:index")).content.decode()


def test_nothing_unpublished_is_in_the_bulk_file(cast, client):
    published("2024", {cast.village_a: "85"})
    for status in (Round.Status.DRAFT, Round.Status.SUBMITTED, Round.Status.APPROVED):
        Round.objects.filter(period__code="2025").delete()
        published("2025", {cast.village_a: "91", cast.village_b: "70"}, status=status)
        assert {row["period"] for row in bulk_rows(client)} == {"2024"}
        cache.clear()


def test_a_corrected_period_appears_once_with_its_latest_revision(cast, client):
    first = published("2025", {cast.village_a: "91"})
    correction = Round.objects.create(
        period=first.period, status=Round.Status.PUBLISHED, revision=2, corrects=first, correction_reason="复核"
    )
    fill_scores(correction, cast.village_a, "89")
    round_compute_results(correction)
    assert [(row["period"], row["total"]) for row in bulk_rows(client) if row["name"] == "石曲村"] == [
        ("2025", "89.00")
    ]


def test_another_countys_rows_only_with_its_county(second_county, client):
    cast = second_county
    published("2025", {cast.village_a: "91"})
    published("2025", {cast.village_c: "88"}, district=cast.township_c.district)
    everyone = {row["name"]: row["county"] for row in bulk_rows(client)}
    assert everyone == {"石曲村": "路桥区", CANARY: "路桥区", SECOND_COUNTY_CANARY: "黄岩区"}
    assert [row["name"] for row in bulk_rows(client, "?county=331004")] == ["石曲村", CANARY]
    assert [row["name"] for row in bulk_rows(client, "?county=331003")] == [SECOND_COUNTY_CANARY]
    assert client.get(ALL_CSV + "?county=999999").status_code == 404


@pytest.mark.parametrize("periods", [1, 4])
def test_the_bulk_file_takes_the_same_queries_for_any_number_of_periods(
    cast, client, django_assert_max_num_queries, periods
):
    for year in range(2025 - periods + 1, 2026):
        published(str(year), {cast.village_a: "91", cast.village_b: "82"})
    with django_assert_max_num_queries(8):  # per file: the rounds, the category names, the rows, the licence
        for url in (ALL_CSV, ALL_JSON):
            assert len(b"".join(client.get(url).streaming_content)) > 0
