from datetime import date

import pytest

from culture.models import Audience, Post

from ..factories import VillageFactory
from . import builders

ALL = set(Post.values)


@pytest.fixture
def culture_year(cast):
    """路桥街道 (township A: 石曲村 and two more villages) and 路南街道 (township B: one village) in 2025,
    with rows that must not count beside those that do. The figures the tests expect are worked out here.

    Township A's closed 2025 sessions: 83 and 17 attendances (人次 100), reach 1,200 and 300 (1,500); 石曲村's
    three posts at the first, 二村's 书记 and 主任 there and its 村监会主任 at the second: 6 of 9 posts, 2 of 3
    villages. 三村 was at a planned session only, and at a closed one of 2024: still missing all three.
    Township B has a planned 2025 session only: its 宣讲季 is not held."""
    secretary_a, secretary_b = cast.users["secretary_a"], cast.users["secretary_b"]
    second = VillageFactory(township=cast.township_a, code="331004001202", name="二村")
    third = VillageFactory(township=cast.township_a, code="331004001203", name="三村")
    builders.session(
        cast.township_a,
        secretary_a,
        attendance={Audience.CADRES: 30, Audience.SECRETARIES: 3, Audience.OTHERS: 50},
        reach=1200,
        presences={cast.village_a: ALL, second: {Post.SECRETARY, Post.DIRECTOR}},
    )
    builders.session(
        cast.township_a,
        cast.users["staff"],
        held_on=date(2025, 9, 1),
        attendance={Audience.OTHERS: 17},
        reach=300,
        presences={second: {Post.SUPERVISOR}},
    )
    builders.session(
        cast.township_a, secretary_a, attendance={Audience.OTHERS: 99}, presences={third: ALL}, closed=False
    )
    builders.session(
        cast.township_a, secretary_a, held_on=date(2024, 5, 1), reach=5000, presences={third: {Post.SUPERVISOR}}
    )
    builders.session(cast.township_b, secretary_b, attendance={Audience.OTHERS: 40}, reach=700, closed=False)
    return {"second": second, "third": third}
