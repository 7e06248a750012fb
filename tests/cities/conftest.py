from datetime import date

import pytest

from ..factories import VillageFactory
from . import builders


@pytest.fixture
def city_year(second_county):
    """Two counties of 台州市 with a known 2025 (and some 2024 and half-year rows that must not count):
    黄岩区 (331003) and 路桥区 (331004). The figures each test expects are worked out beside the rows."""
    cast = second_county
    users = cast.users
    county_a, county_b = cast.township_a.district, cast.township_c.district
    a3 = VillageFactory(township=cast.township_a, name="三村")
    a4 = VillageFactory(township=cast.township_a, name="四村")
    a5 = VillageFactory(township=cast.township_a, name="五村")
    c2 = VillageFactory(township=cast.township_c, name="黄岩二村")

    # The index: 路桥区 91 A, 85 B, 75 C, 95 A → 50.0 / 25.0 / 25.0 %, average 86.50; its 2025H1 round and its
    # 2024 round do not count. 黄岩区 92 A, 70 C → 50.0 / 0.0 / 50.0 %, average 81.00.
    builders.published_index(county_a, [(cast.village_a, "91"), (cast.village_b, "85"), (a3, "75"), (a4, "95")])
    builders.published_index(county_a, [(cast.village_a, "60")], code="2025H1")
    builders.published_index(county_a, [(cast.village_a, "99")], code="2024")
    builders.published_index(county_b, [(cast.village_c, "92"), (c2, "70")])

    # Stars fixed in 2025: 路桥区 5, 4, 3 and a 2 stripped to 0 (average 3.00; a 5 still in publicity does not
    # count); 示范村: village A twice (provincial and city: one village) and village B → 2. 黄岩区 4 and 1
    # (average 2.50), one 示范村.
    secretary = users["secretary_a"]
    five = builders.star(cast.village_a, 5, secretary)
    four = builders.star(cast.village_b, 4, secretary)
    builders.star(a3, 3, secretary)
    builders.strip(builders.star(a4, 2, secretary), 0, users["staff"])
    builders.star(a5, 5, secretary, status="publicity")
    builders.star(a3, 4, secretary, year=2024)
    builders.nominate(five, "provincial", users["staff"])
    builders.nominate(five, "city", users["staff"])
    builders.nominate(four, "city", users["staff"])
    four_c = builders.star(cast.village_c, 4, users["staff_b"])
    builders.star(c2, 1, users["staff_b"])
    builders.nominate(four_c, "city", users["staff_b"])

    # Petitions: 路桥区 4 in 2025 (3 rural) against 2 (both rural) in 2024 → +100.0 %, rural +50.0 %; 黄岩区 3
    # (rural) against 4 → -25.0 % both.
    office, office_b = users["petition"], users["petition_b"]
    a_2025 = [builders.petition(cast.village_a, date(2025, month, 3), office) for month in (1, 2, 3)]
    a_2025.append(builders.petition(cast.village_b, date(2025, 4, 3), office, rural=False))
    a_2024 = [builders.petition(cast.village_a, date(2024, month, 3), office) for month in (4, 5)]
    b_2025 = [builders.petition(cast.village_c, date(2025, month, 3), office_b) for month in (1, 2, 3)]
    for month in (1, 2, 3, 4):
        builders.petition(c2, date(2024, month, 3), office_b)

    # Listed cases open in 2025: 路桥区 three (one struck off in 2025; one from 2024 still open), a fourth
    # struck off in 2024 does not count → 1 of 3, 33.3 %; 黄岩区 one, struck off → 100.0 %.
    leader, leader_b = users["leader"], users["leader_b"]
    builders.listing(a_2025[0], leader, listed_on=date(2025, 2, 1), struck_off_on=date(2025, 6, 1))
    builders.listing(a_2025[1], leader, listed_on=date(2025, 3, 1))
    builders.listing(a_2024[0], leader, listed_on=date(2024, 5, 1), struck_off_on=date(2024, 12, 1))
    builders.listing(a_2024[1], leader, listed_on=date(2024, 6, 1))
    builders.listing(b_2025[0], leader_b, listed_on=date(2025, 4, 1), struck_off_on=date(2025, 8, 1))

    # Findings of 2025: 路桥区 four, two closed by their due date, one late, one open → 75.0 % rectified,
    # 66.7 % on time (a 2024 finding does not count); 黄岩区 two, one closed on time → 50.0 %, 100.0 %.
    round_a = builders.inspection_round(county_a, users["staff"])
    owner, closer = secretary, users["staff"]
    june = date(2025, 6, 30)
    builders.finding(
        round_a,
        cast.village_a,
        owner,
        found_on=date(2025, 3, 1),
        due_on=june,
        closed_on=date(2025, 6, 1),
        closer=closer,
    )
    builders.finding(round_a, a3, owner, found_on=date(2025, 3, 1), due_on=june, closed_on=june, closer=closer)
    builders.finding(
        round_a,
        a4,
        owner,
        found_on=date(2025, 3, 1),
        due_on=date(2025, 5, 31),
        closed_on=date(2025, 7, 15),
        closer=closer,
    )
    builders.finding(round_a, cast.village_b, owner, found_on=date(2025, 3, 1), due_on=june)
    builders.finding(round_a, cast.village_b, owner, found_on=date(2024, 3, 1), due_on=date(2024, 6, 1))
    round_b = builders.inspection_round(county_b, users["staff_b"])
    builders.finding(
        round_b,
        cast.village_c,
        users["staff_b"],
        found_on=date(2025, 3, 1),
        due_on=june,
        closed_on=june,
        closer=leader_b,
    )
    builders.finding(round_b, c2, users["staff_b"], found_on=date(2025, 3, 1), due_on=june)
    return cast
