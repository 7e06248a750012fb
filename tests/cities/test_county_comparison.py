from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cities.selectors import city_ranks, county_comparison
from scoring.models import Round
from villages.models import City, District

from ..factories import TownshipFactory, VillageFactory
from . import builders

D = Decimal


def figures_of(line) -> dict:
    return {
        "grades": dict(line.grades),
        "graded": line.graded,
        "shares": (line.share_a, line.share_b, line.share_c),
        "average_index": line.average_index,
        "stars": line.stars,
        "average_stars": line.average_stars,
        "demonstration": line.demonstration,
        "petitions": (line.petitions, line.petitions_before, line.petitions_change),
        "rural": (line.rural_petitions, line.rural_petitions_before, line.rural_petitions_change),
        "listed": (line.listed, line.struck_off, line.strike_off_rate),
        "findings": (line.findings, line.findings_closed, line.findings_closed_on_time),
        "rates": (line.rectification_rate, line.on_time_rate),
    }


def test_the_comparison_gives_each_countys_figures_of_the_year(city_year):
    huangyan, luqiao = county_comparison(City.objects.get(code="3310"), 2025)
    assert (huangyan.district.name, luqiao.district.name) == ("黄岩区", "路桥区")
    assert luqiao.round.period.code == "2025"  # the year's own round, not its half-year
    assert figures_of(luqiao) == {
        "grades": {"A": 2, "B": 1, "C": 1},
        "graded": 4,
        "shares": (D("50.0"), D("25.0"), D("25.0")),
        "average_index": D("86.50"),
        "stars": (1, 0, 0, 1, 1, 1),
        "average_stars": D("3.00"),
        "demonstration": 2,
        "petitions": (4, 2, D("100.0")),
        "rural": (3, 2, D("50.0")),
        "listed": (3, 1, D("33.3")),
        "findings": (4, 3, 2),
        "rates": (D("75.0"), D("66.7")),
    }
    assert figures_of(huangyan) == {
        "grades": {"A": 1, "B": 0, "C": 1},
        "graded": 2,
        "shares": (D("50.0"), D("0.0"), D("50.0")),
        "average_index": D("81.00"),
        "stars": (0, 1, 0, 0, 1, 0),
        "average_stars": D("2.50"),
        "demonstration": 1,
        "petitions": (3, 4, D("-25.0")),
        "rural": (3, 4, D("-25.0")),
        "listed": (1, 1, D("100.0")),
        "findings": (2, 1, 1),
        "rates": (D("50.0"), D("100.0")),
    }


def test_each_figure_has_its_city_rank_best_first_ties_sharing_it(city_year):
    huangyan, luqiao = county_comparison(City.objects.get(code="3310"), 2025)
    assert dict(luqiao.ranks) == {
        "share_a": 1,  # 50.0 each: a shared first
        "share_c": 1,  # fewer C is better
        "average_index": 1,
        "average_stars": 1,
        "demonstration": 1,
        "petitions": 2,  # fewer petitions is better
        "petitions_change": 2,
        "rural_petitions": 1,  # 3 each
        "rural_petitions_change": 2,
        "strike_off_rate": 2,
        "rectification_rate": 1,
        "on_time_rate": 2,
    }
    assert dict(huangyan.ranks) == {
        "share_a": 1,
        "share_c": 2,
        "average_index": 2,
        "average_stars": 2,
        "demonstration": 2,
        "petitions": 1,
        "petitions_change": 1,
        "rural_petitions": 1,
        "rural_petitions_change": 1,
        "strike_off_rate": 1,
        "rectification_rate": 2,
        "on_time_rate": 1,
    }
    assert luqiao.rank("share_b") is None  # more B is neither better nor worse: no rank


def test_ranks_count_the_counties_strictly_better_and_leave_a_county_without_a_figure_unranked():
    values = {1: D("80"), 2: D("90"), 3: D("80"), 4: None, 5: D("70")}
    assert city_ranks(values, higher_is_better=True) == {1: 2, 2: 1, 3: 2, 4: None, 5: 4}
    assert city_ranks(values, higher_is_better=False) == {1: 2, 2: 4, 3: 2, 4: None, 5: 1}


def test_a_county_without_a_published_index_has_no_share_and_no_rank(second_county, client_for):
    builders.published_index(second_county.township_a.district, [(second_county.village_a, "91")])
    huangyan, luqiao = county_comparison(City.objects.get(code="3310"), 2025)
    assert (huangyan.round, huangyan.share_a, huangyan.rank("share_a"), huangyan.average_index) == (
        None,
        None,
        None,
        None,
    )
    assert (luqiao.share_a, luqiao.rank("share_a")) == (D("100.0"), 1)
    # Without a petition in either year, 同比 has nothing to compare with; the counts are noughts, ranked.
    assert (huangyan.petitions, huangyan.petitions_change, huangyan.rank("petitions_change")) == (0, None, None)
    assert huangyan.rank("petitions") == 1

    page = client_for("city_leader").get(reverse("cities:comparison", args=[2025]))
    row = page.content.decode().split('id="county-331003"', 1)[1].split("</tr>", 1)[0]
    share_a = row.split('data-key="share_a">', 1)[1].split("</td>", 1)[0]
    assert share_a.split() == ["—", "<br><small", 'class="muted">—</small>']


def city_with_counties(second_county, extra: int) -> City:
    """The cast's city with `extra` more counties, every county with a year's worth of each regime."""
    cast = second_county
    counties = [cast.township_a.district, cast.township_c.district]
    for number in range(extra):
        district = District.objects.create(code=f"33100{5 + number}", name=f"测试{number}区", city=counties[0].city)
        TownshipFactory(code=f"{district.code}001", district=district)
        counties.append(district)
    for district in counties:
        village = VillageFactory(township=district.townships.first())
        builders.published_index(district, [(village, "91")])
        builders.nominate(builders.star(village, 4, cast.users["staff"]), "city", cast.users["staff"])
        petition = builders.petition(village, date(2025, 3, 3), cast.users["staff"])
        builders.petition(village, date(2024, 3, 3), cast.users["staff"])
        builders.listing(petition, cast.users["leader"], listed_on=date(2025, 4, 1))
        round_ = builders.inspection_round(district, cast.users["staff"])
        builders.finding(round_, village, cast.users["secretary_a"], found_on=date(2025, 3, 1), due_on=date(2025, 6, 1))
    return counties[0].city


@pytest.mark.parametrize("extra", [0, 2])
def test_the_comparison_reads_eight_queries_however_many_counties(second_county, django_assert_num_queries, extra):
    city = city_with_counties(second_county, extra)
    with django_assert_num_queries(8):
        figures = county_comparison(city, 2025)
    assert len(figures) == 2 + extra
    assert {line.share_a for line in figures} == {D("100.0")}


def test_the_comparison_page_shows_each_figure_with_its_rank(city_year, client_for):
    page = client_for("city_staff").get(reverse("cities:comparison", args=[2025]))
    assert page.status_code == 200
    html = page.content.decode()
    row = html.split('id="county-331004"', 1)[1].split("</tr>", 1)[0]
    cell = row.split('data-key="petitions_change">', 1)[1].split("</td>", 1)[0]
    assert cell.split() == ["+100.0", "<br><small", 'class="muted">第2名</small>']
    assert "0★ 1 · 1★ 0 · 2★ 0 · 3★ 1 · 4★ 1 · 5★ 1" in " ".join(row.split())
    assert 'href="/city/2024/"' in html  # the year switch


def test_the_city_page_opens_on_the_latest_year_a_county_published_its_index(second_county, client_for):
    client = client_for("city_leader")
    this_year = date.today().year
    assert client.get(reverse("cities:home"))["Location"] == reverse("cities:comparison", args=[this_year])

    builders.published_index(second_county.township_c.district, [(second_county.village_c, "91")], code="2024")
    builders.published_index(second_county.township_a.district, [(second_county.village_a, "91")])
    # A round of a later year not yet published does not move the page to an empty year.
    builders.published_index(second_county.township_a.district, [(second_county.village_b, "91")], code="2026")
    Round.objects.filter(period__year=2026).update(status=Round.Status.DRAFT)

    assert client.get(reverse("cities:home"))["Location"] == reverse("cities:comparison", args=[2025])


@pytest.mark.parametrize("name", ["staff", "leader", "petition", "staff_b", "secretary_a", "sysadmin"])
def test_a_countys_people_and_the_administrators_are_refused_the_comparison(second_county, client_for, name):
    client = client_for(name)
    assert client.get(reverse("cities:comparison", args=[2025])).status_code == 403
    assert client.get(reverse("cities:comparison_export", args=[2025])).status_code == 403


def test_the_comparison_sheet_has_a_row_per_county_each_figure_beside_its_rank(city_year, client_for):
    response = client_for("city_leader").get(reverse("cities:comparison_export", args=[2025]))
    assert response["Content-Disposition"] == 'attachment; filename="county-comparison-2025.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "2025年区县比较"
    assert rows[0] == [
        "区县",
        "参评村居数",
        "A类村居占比（%）",
        "A类村居占比（%）排名",
        "B类村居占比（%）",
        "C类村居占比（%）",
        "C类村居占比（%）排名",
        "平均清廉指数",
        "平均清廉指数排名",
        "0星",
        "1星",
        "2星",
        "3星",
        "4星",
        "5星",
        "平均星级",
        "平均星级排名",
        "示范村数",
        "示范村数排名",
        "信访件数",
        "信访件数排名",
        "上年信访件数",
        "信访同比（%）",
        "信访同比（%）排名",
        "农村基层信访件数",
        "农村基层信访件数排名",
        "上年农村基层信访件数",
        "农村基层信访同比（%）",
        "农村基层信访同比（%）排名",
        "年内挂牌督办件数",
        "年内销号件数",
        "挂牌督办销号率（%）",
        "挂牌督办销号率（%）排名",
        "发现问题数",
        "已整改问题数",
        "按期整改问题数",
        "问题整改完成率（%）",
        "问题整改完成率（%）排名",
        "按期整改率（%）",
        "按期整改率（%）排名",
    ]
    assert rows[1:] == [
        [
            "黄岩区",
            2,
            50,
            1,
            0,
            50,
            2,
            81,
            2,
            0,
            1,
            0,
            0,
            1,
            0,
            2.5,
            2,
            1,
            2,
            3,
            1,
            4,
            -25,
            1,
            3,
            1,
            4,
            -25,
            1,
            1,
            1,
            100,
            1,
            2,
            1,
            1,
            50,
            2,
            100,
            1,
        ],
        [
            "路桥区",
            4,
            50,
            1,
            25,
            25,
            1,
            86.5,
            1,
            1,
            0,
            0,
            1,
            1,
            1,
            3,
            1,
            2,
            1,
            4,
            2,
            2,
            100,
            2,
            3,
            1,
            2,
            50,
            2,
            3,
            1,
            33.3,
            2,
            4,
            3,
            2,
            75,
            1,
            66.7,
            2,
        ],
    ]
