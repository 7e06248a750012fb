"""两个全覆盖 and the county figures: what counts is a closed session of the year, and nothing else."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.spreadsheets import read_sheet
from culture import selectors
from culture.models import Post

from ..factories import TownshipFactory, VillageFactory
from . import builders


def test_the_coverage_page_shows_which_posts_attended_and_who_is_still_missing(cast, culture_year, client_for):
    page = client_for("secretary_a").get(reverse("culture:coverage", args=[2025, cast.township_a.code]))
    assert page.status_code == 200
    coverage = page.context["coverage"]
    assert (coverage.posts_present, coverage.posts_total) == (6, 9)
    assert (coverage.villages_complete, len(coverage.villages)) == (2, 3)
    assert [(line.village.name, sorted(line.present)) for line in coverage.villages] == [
        ("石曲村", sorted(Post.values)),
        ("二村", sorted(Post.values)),
        ("三村", []),
    ]
    assert not coverage.complete
    assert page.context["held"] is True


def test_a_township_season_counts_as_held_once_one_of_its_sessions_of_the_year_is_closed(cast, culture_year):
    assert selectors.season_held(cast.township_a, 2025)
    assert selectors.season_held(cast.township_a, 2024)
    assert not selectors.season_held(cast.township_a, 2023)
    assert not selectors.season_held(cast.township_b, 2025)  # planned only
    planned = selectors.sessions_for(cast.users["secretary_b"]).get()
    builders.services.session_close(
        session=planned, version=planned.version, summary="宣讲完毕", acting_user=cast.users["secretary_b"]
    )
    assert selectors.season_held(cast.township_b, 2025)


def test_the_county_figures_count_townships_held_attendance_reach_and_posts(cast, culture_year, client_for):
    page = client_for("leader").get(reverse("culture:figures", args=[2025]))
    assert page.status_code == 200
    [county] = page.context["counties"]
    assert (county.held, len(county.townships), county.sessions) == (1, 2, 2)
    assert (county.people, county.reach) == (100, 1500)
    assert (county.posts_present, county.posts_total) == (6, 12)
    assert [(line.township.name, line.held) for line in county.townships] == [("路桥街道", True), ("路南街道", False)]


def test_the_figures_of_a_year_without_a_closed_session_are_nought(cast, culture_year):
    [county] = selectors.county_figures(cast.users["staff"], 2026)
    assert (county.held, county.people, county.reach, county.posts_present) == (0, 0, 0, 0)


def test_the_coverage_sheet_has_a_row_per_village_with_its_missing_posts(cast, culture_year, client_for):
    response = client_for("staff").get(reverse("culture:coverage_export", args=[2025, cast.township_a.code]))
    assert response.status_code == 200
    rows = read_sheet(response.content)
    assert len(rows) == 4
    assert rows[1][0] == "石曲村" and rows[1][-1] in ("", None)
    assert rows[3][0] == "三村" and rows[3][-1] == "书记、主任、村监会主任"


def test_the_sessions_sheet_lists_the_filtered_sessions_with_their_attendance(cast, culture_year, client_for):
    query = f"?township={cast.township_a.pk}&year=2025"
    response = client_for("staff").get(reverse("culture:sessions_export") + query)
    rows = read_sheet(response.content)
    assert len(rows) == 4  # the heading and township A's three sessions of 2025
    assert sorted((row[1], row[-3], row[-2]) for row in rows[1:]) == [
        ("2025-04-01", 83, 1200),
        ("2025-04-01", 99, 0),
        ("2025-09-01", 17, 300),
    ]


def test_a_secretary_reads_the_own_township_only(cast, culture_year, client_for):
    client = client_for("secretary_b")
    assert client.get(reverse("culture:coverage", args=[2025, cast.township_a.code])).status_code == 404
    [county] = client.get(reverse("culture:figures", args=[2025])).context["counties"]
    assert [line.township for line in county.townships] == [cast.township_b]
    listed = client.get(reverse("culture:sessions")).context["sessions"]
    assert {session.township for session in listed} == {cast.township_b}


def test_another_county_sees_none_of_the_county_and_the_city_sees_both(second_county, culture_year, client_for):
    cast = second_county
    builders.session(cast.township_c, cast.users["staff_b"], attendance={"others": 5})
    staff_b = client_for("staff_b")
    assert [s.township for s in staff_b.get(reverse("culture:sessions")).context["sessions"]] == [cast.township_c]
    assert staff_b.get(reverse("culture:coverage", args=[2025, cast.township_a.code])).status_code == 404
    counties = client_for("city_leader").get(reverse("culture:figures", args=[2025])).context["counties"]
    assert sorted((county.district.name, county.people) for county in counties) == [
        (cast.township_a.district.name, 100),
        ("黄岩区", 5),
    ]


def test_the_session_list_takes_a_fixed_number_of_queries(
    cast, culture_year, client_for, django_assert_max_num_queries
):
    speaker = builders.lecturer(cast.users["staff"])
    for day in range(1, 6):
        builders.session(cast.township_a, cast.users["staff"], held_on=date(2025, 5, day), speakers=[speaker])
    client = client_for("staff")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("culture:sessions"))
    assert len(page.context["sessions"]) == 10


def test_the_figures_page_takes_as_many_queries_with_more_townships(cast, culture_year, client_for):
    client = client_for("staff")
    url = reverse("culture:figures", args=[2025])
    client.get(url)  # the first request of a session writes what later ones only read
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    more = TownshipFactory(code="331004009", district=cast.township_a.district)
    VillageFactory(township=more, code="331004009201")
    builders.session(more, cast.users["staff"], presences={})
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert len(after) == len(before)
    assert page.context["counties"][0].held == 2
