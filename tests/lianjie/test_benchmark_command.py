"""`benchmark --json` prints one JSON object with the keys of DESIGN.md section 10.
(Figures are measured by the command, never asserted as wall time here.)"""

import json

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_benchmark_prints_its_keys_as_one_json_object(capsys, monkeypatch):
    monkeypatch.setattr("villages.demo.CITY_VILLAGES", 236)  # a small city keeps the test quick
    monkeypatch.setattr("villages.demo.CITY_DISTRICTS", [("330602", "越城区", 2), ("330603", "柯桥区", 2)])
    call_command("benchmark", "--json", "--runs", "1")
    figures = json.loads(capsys.readouterr().out)
    keys = {
        "import_ratio",
        "secretary_list_queries",
        "public_index_queries",
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
