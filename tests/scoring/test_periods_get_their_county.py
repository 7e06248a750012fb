"""Issue 18's migration: the periods of an installation made before periods belonged to a county keep
their rounds and get their county: the county of the villages their rounds scored, or the only county."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("scoring", "0013_round_steps_are_transitions"), ("villages", "0003_city_and_county_binding")]
AFTER = [("scoring", "0016_period_county_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_period_gets_the_county_of_its_villages_or_the_only_county():
    old = migrate(BEFORE)
    district = old.get_model("villages", "District").objects.create(code="331004", name="路桥区", kind="district")
    township = old.get_model("villages", "Township").objects.create(
        code="331004001", name="路桥街道", kind="subdistrict", district=district
    )
    village = old.get_model("villages", "Village").objects.create(
        code="331004001201", name="石曲村", kind="village", active=True, township=township
    )
    Scheme = old.get_model("scoring", "Scheme")
    scheme = Scheme.objects.create(name="旧方案", version=1)
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

    periods = new.get_model("scoring", "Period").objects.order_by("code")
    assert [(p.code, p.district.code, p.rounds.count()) for p in periods] == [
        ("2024", "331004", 1),
        ("2025", "331004", 1),
    ]
    # The schemes stay the defaults, for every county.
    assert set(new.get_model("scoring", "Scheme").objects.values_list("district", flat=True)) == {None}
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
