"""Issue 18's migration: the periods of an installation made before periods belonged to a county keep
their rounds and get their county: the county of the villages their rounds scored, or the only county.

The schema before the migration is built forward, in a throwaway SQLite database of the test's own, by a
`manage.py shell` of the current tree: unapplying the whole graph on the test database took ten minutes a
run. The migration's logic does not depend on the database, so it runs in the embedded run only."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.embedded_run

MIGRATE_FILL_AND_MIGRATE = """
import json
from decimal import Decimal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scoring", "0013_round_steps_are_transitions"), ("villages", "0003_city_and_county_binding")]
AFTER = [("scoring", "0016_period_county_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


old = migrate(BEFORE)
district = old.get_model("villages", "District").objects.create(code="331004", name="路桥区", kind="district")
township = old.get_model("villages", "Township").objects.create(
    code="331004001", name="路桥街道", kind="subdistrict", district=district
)
village = old.get_model("villages", "Village").objects.create(
    code="331004001201", name="石曲村", kind="village", active=True, township=township
)
scheme = old.get_model("scoring", "Scheme").objects.create(name="旧方案", version=1)
category = old.get_model("scoring", "Category").objects.create(scheme=scheme, code="BZ", name="班子清廉")
indicator = old.get_model("scoring", "Indicator").objects.create(
    scheme=scheme, category=category, code="BZ1", name="主体责任", max_points=Decimal("100")
)
Period = old.get_model("scoring", "Period")
scored = Period.objects.create(code="2024", year=2024, scheme=scheme)
empty = Period.objects.create(code="2025", year=2025, scheme=scheme)
Round = old.get_model("scoring", "Round")
round_ = Round.objects.create(period=scored, status="published")
Round.objects.create(period=empty)
old.get_model("scoring", "Score").objects.create(round=round_, village=village, indicator=indicator, points=90)

new = migrate(AFTER)

print(json.dumps({
    "periods": [
        [p.code, p.district.code, p.rounds.count()]
        for p in new.get_model("scoring", "Period").objects.order_by("code")
    ],
    "scheme_districts": list(set(new.get_model("scoring", "Scheme").objects.values_list("district", flat=True))),
}))
"""


def test_each_period_gets_the_county_of_its_villages_or_the_only_county(tmp_path):
    environment = {
        **{key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "PYTHONPATH")},
        "DJANGO_SETTINGS_MODULE": "lianjie.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'before-counties.sqlite3'}",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", MIGRATE_FILL_AND_MIGRATE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    migrated = json.loads(result.stdout.splitlines()[-1])

    assert migrated["periods"] == [["2024", "331004", 1], ["2025", "331004", 1]]
    # The schemes stay the defaults, for every county.
    assert migrated["scheme_districts"] == [None]
