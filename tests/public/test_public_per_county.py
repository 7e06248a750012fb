"""Issue 18, the public site of a city's installation: each county's index under its own rules. `/` lists
each county's latest index; `?county=<code>` narrows `/`, `/index/<period>/` and the open data to one
county; a village page finds its own county's period; each county's page is cached apart. (An
installation of one county keeps its pages as they were: test_public_index.py.)"""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Round, Scheme
from scoring.services import round_compute_results, scheme_copy_for_county

from ..conftest import CANARY, SECOND_COUNTY_CANARY
from ..factories import VillageFactory
from ..scoring_helpers import default_scheme, fill_scores, make_round

LUQIAO, HUANGYAN = "331004", "331003"


@pytest.fixture
def two_indexes(second_county):
    """2025 published in both counties, every village at 86: 路桥区 on the default scheme (A from 90),
    黄岩区 on its own copy (A from 85); 黄岩区 also has 2024 (80)."""
    cast = second_county
    huangyan = cast.township_c.district
    own = scheme_copy_for_county(scheme=default_scheme(), district=huangyan, acting_user=cast.users["staff_b"])
    Scheme.objects.filter(pk=own.pk).update(grade_a_min=Decimal("85"))
    own.refresh_from_db()
    earlier = make_round("2024", status=Round.Status.PUBLISHED, district=huangyan, scheme=own)
    fill_scores(earlier, cast.village_c, "80")
    a = make_round("2025", status=Round.Status.PUBLISHED)
    b = make_round("2025", status=Round.Status.PUBLISHED, district=huangyan, scheme=own)
    for village in (cast.village_a, cast.village_b):
        fill_scores(a, village, "86")
    fill_scores(b, cast.village_c, "86")
    for round_ in (earlier, a, b):
        round_compute_results(round_)
    return a, b


def rows(response) -> list[tuple[str, str, str]]:
    return [(row.name, str(row.total), row.grade) for row in response.context["page"]]


def test_the_home_page_lists_each_countys_latest_index(two_indexes, client):
    page = client.get(reverse("public:index"))
    html = page.content.decode()
    assert [(i.district.name, i.round.period.code, i.counts) for i in page.context["indexes"]] == [
        ("黄岩区", "2025", {"A": 1, "B": 0, "C": 0}),
        ("路桥区", "2025", {"A": 0, "B": 2, "C": 0}),
    ]
    assert f'href="/index/2025/?county={HUANGYAN}"' in html and f'href="/index/2025/?county={LUQIAO}"' in html
    assert CANARY not in html and SECOND_COUNTY_CANARY not in html  # no village list until a county is chosen


def test_each_county_is_graded_under_its_own_scheme(two_indexes, client):
    luqiao = client.get(reverse("public:index") + f"?county={LUQIAO}")
    huangyan = client.get(reverse("public:period", args=["2025"]) + f"?county={HUANGYAN}")
    assert rows(luqiao) == [("石曲村", "86.00", "B"), (CANARY, "86.00", "B")]
    assert rows(huangyan) == [(SECOND_COUNTY_CANARY, "86.00", "A")]
    assert "<h1>2025年度村居清廉指数 · 黄岩区</h1>" in huangyan.content.decode()
    # The chart's legend gives each county's own thresholds.
    assert '<span class="grade grade-A">A</span> ≥ 85</li>' in huangyan.content.decode()
    assert '<span class="grade grade-B">B</span> 80–90</li>' in luqiao.content.decode()
    # The change since the last period is the county's own (黄岩区's 2024: 80; 路桥区 has none).
    assert [row.change for row in huangyan.context["page"]] == [Decimal("6.00")]
    assert [row.change for row in luqiao.context["page"]] == [None, None]
    # The period links and the filter keep the county; the periods are the county's own.
    assert huangyan.context["periods"] == ["2025", "2024"] and luqiao.context["periods"] == ["2025"]
    assert f'href="/index/2024/?county={HUANGYAN}"' in huangyan.content.decode()
    assert f'<input type="hidden" name="county" value="{HUANGYAN}">' in huangyan.content.decode()


def test_a_period_without_a_county_lists_the_counties_that_published_it(two_indexes, client):
    both = client.get(reverse("public:period", args=["2025"]))
    assert [i.district.code for i in both.context["indexes"]] == [HUANGYAN, LUQIAO]
    # Only 黄岩区 published 2024: its index, as the address showed before the city joined.
    only = client.get(reverse("public:period", args=["2024"]))
    assert rows(only) == [(SECOND_COUNTY_CANARY, "80.00", "B")]
    assert client.get(reverse("public:period", args=["2023"])).status_code == 404


def test_an_unknown_county_or_one_without_the_period_is_404(two_indexes, client):
    assert client.get(reverse("public:index") + "?county=330100").status_code == 404
    assert client.get(reverse("public:period", args=["2024"]) + f"?county={LUQIAO}").status_code == 404
    assert client.get(reverse("public:open_data_csv", args=["2024"]) + f"?county={LUQIAO}").status_code == 404


def test_a_village_page_finds_its_own_countys_period(two_indexes, second_county, client):
    cast = second_county
    page = client.get(reverse("public:village", args=["2025", cast.village_c.code]))
    assert page.context["row"].grade == "A" and page.context["round"].period.district.code == HUANGYAN
    assert f"/index/2025/?county={HUANGYAN}&amp;t=331003001" in page.content.decode()
    notice = client.get(reverse("public:notice", args=["2025", cast.village_a.code]))
    assert notice.context["row"].grade == "B"
    assert client.get(reverse("public:village", args=["2024", cast.village_a.code])).status_code == 404


def test_open_data_of_one_county_or_of_every_county(two_indexes, client):
    one = json.loads(client.get(reverse("public:open_data_json", args=["2025"]) + f"?county={HUANGYAN}").content)
    assert [(r["code"], r["grade"], r["district_rank"], r["change"]) for r in one] == [("331003001201", "A", 1, "6.00")]
    response = client.get(reverse("public:open_data_csv", args=["2025"]))
    assert response["Content-Disposition"] == 'inline; filename="lianjie-2025.csv"'
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["code"], r["grade"], r["district_rank"]) for r in table] == [
        ("331003001201", "A", "1"),
        ("331004001201", "B", "1"),
        ("331004002201", "B", "1"),
    ]
    narrowed = client.get(reverse("public:open_data_csv", args=["2025"]) + f"?county={LUQIAO}")
    assert narrowed["Content-Disposition"] == f'inline; filename="lianjie-{LUQIAO}-2025.csv"'


def test_each_countys_page_is_cached_apart(two_indexes, client, settings):
    first = client.get(reverse("public:index") + f"?county={LUQIAO}").content.decode()
    second = client.get(reverse("public:index") + f"?county={HUANGYAN}").content.decode()
    again = client.get(reverse("public:index") + f"?county={LUQIAO}")
    assert CANARY in first and SECOND_COUNTY_CANARY not in first
    assert SECOND_COUNTY_CANARY in second and CANARY not in second
    assert again.content.decode() == first and again["Cache-Control"] == "public, max-age=120"


def test_the_methodology_names_each_countys_scheme(two_indexes, client):
    html = client.get(reverse("public:methodology")).content.decode()
    assert "四清标准（黄岩区） v1" in html and "A ≥ 85.00" in html
    assert "2025（路桥区）" in html and "2025（黄岩区）、2024（黄岩区）" in html


@pytest.mark.parametrize("extra", [0, 80])
def test_a_countys_page_and_the_county_list_run_a_fixed_number_of_queries(
    two_indexes, second_county, client, django_assert_max_num_queries, extra
):
    for village in VillageFactory.create_batch(extra, township=second_county.township_a):
        fill_scores(two_indexes[0], village, "88")
    round_compute_results(two_indexes[0])
    client.get(reverse("villages:list"))  # warm the per-process caches (demo flag)
    for url in [reverse("public:index") + f"?county={LUQIAO}&nocache={extra}", f"/?nocache={extra}"]:
        with django_assert_max_num_queries(9):  # 9th: the open data licence (issue 19)
            assert client.get(url).status_code == 200
