"""`benchmark --json` prints one JSON object with the keys of DESIGN.md section 10, measured on a city
whose users are bound to their counties; the list and index pages' queries do not grow with the number
of counties. (Figures are measured by the command, never asserted as wall time here.)"""

import json

import pytest
from django.core.management import call_command

from lianjie.management.commands.benchmark import Command, publish_benchmark_rounds
from villages.demo import DemoCounty
from villages.models import District

YUECHENG = DemoCounty("330602", "越城区", District.Kind.DISTRICT, ("府山街道", "塔山街道"))
KEQIAO = DemoCounty("330603", "柯桥区", District.Kind.DISTRICT, ("柯桥街道", "平水镇"))
XINCHANG = DemoCounty("330624", "新昌县", District.Kind.COUNTY, ("羽林街道", "沙溪镇"))
ZHUJI = DemoCounty("330681", "诸暨市", District.Kind.COUNTY_CITY, ("暨阳街道", "枫桥镇"))


@pytest.fixture
def small_city(monkeypatch):
    """A city of a few townships keeps the tests quick; `grow` gives it more counties."""

    def grow(*counties: DemoCounty, villages: int) -> None:
        monkeypatch.setattr("villages.demo.CITY_COUNTIES", counties)
        monkeypatch.setattr("villages.demo.CITY_VILLAGES", villages)

    grow(YUECHENG, KEQIAO, villages=236)
    return grow


@pytest.mark.services_run(
    why="its two report workers, forked off a PostgreSQL session, each open their own connection (on SQLite "
    "the test's in-memory database is merely copied into them)"
)
@pytest.mark.django_db(transaction=True)
def test_benchmark_prints_its_keys_as_one_json_object(capsys, small_city):
    call_command("benchmark", "--json", "--runs", "1")
    figures = json.loads(capsys.readouterr().out)
    keys = {
        "import_ratio",
        "secretary_list_queries",
        "county_staff_list_queries",
        "public_index_queries",
        "public_counties_queries",
        "public_index_ratio",
        "public_index_uncached_ratio",
        "report_ratio",
        "reports_all_seconds",
        "report_worker_rss_mb",
        "cpu_count",
        "versions",
    }
    assert keys <= set(figures)
    assert figures["reports_all_count"] == 4  # every township of the small city, by two worker processes
    assert figures["import_rows"] == 236
    assert figures["secretary_list_queries"] <= 10
    assert figures["county_staff_list_queries"] <= 10
    assert figures["public_index_queries"] <= 10
    assert figures["public_counties_queries"] <= 10


@pytest.mark.embedded_run  # counts the ORM's queries: the same on either database
def test_the_list_and_index_queries_do_not_grow_with_the_number_of_counties(db, small_city):
    benchmark = Command()
    benchmark.seed()
    publish_benchmark_rounds()
    two_counties = {**benchmark.list_queries(), **benchmark.public_queries()}

    small_city(YUECHENG, KEQIAO, XINCHANG, ZHUJI, villages=472)  # the first two counties stay as they were
    benchmark.seed()
    publish_benchmark_rounds()
    four_counties = {**benchmark.list_queries(), **benchmark.public_queries()}

    assert District.objects.filter(city__code="3306").count() == 4
    assert four_counties == two_counties
    assert max(two_counties.values()) <= 10
