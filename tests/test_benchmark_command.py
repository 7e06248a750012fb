"""`benchmark --json` prints one JSON object with the keys of DESIGN.md section 10 that exist so far.
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
    assert {"import_ratio", "secretary_list_queries", "cpu_count", "versions"} <= set(figures)
    assert figures["import_rows"] == 236
    assert figures["secretary_list_queries"] <= 10
