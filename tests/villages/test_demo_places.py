"""The demo's places: 路桥区 alone (district size) or 绍兴市 with its six real counties, 118 townships and
2,195 villages (city size); each code begins with its parent's."""

from collections import Counter

from villages.demo import CITY_COUNTIES, LUQIAO, seed_places, township_codes
from villages.models import City, District, Township, Village

SHAOXING = [
    ("330602", "越城区", District.Kind.DISTRICT, 20),
    ("330603", "柯桥区", District.Kind.DISTRICT, 19),
    ("330604", "上虞区", District.Kind.DISTRICT, 21),
    ("330624", "新昌县", District.Kind.COUNTY, 12),
    ("330681", "诸暨市", District.Kind.COUNTY_CITY, 23),
    ("330683", "嵊州市", District.Kind.COUNTY_CITY, 23),
]


def test_the_city_is_shaoxing_with_its_six_counties_and_their_kinds(db):
    result = seed_places("city")
    assert (result.city.code, result.city.name) == ("3306", "绍兴市")
    counties = District.objects.filter(city__code="3306").order_by("code")
    assert [(c.code, c.name, c.kind, c.townships.count()) for c in counties] == SHAOXING
    assert [county.code for county in result.counties] == [code for code, *_ in SHAOXING]
    assert (result.townships, result.villages, result.created_villages) == (118, 2195, 2195)


def test_every_city_township_and_village_code_begins_with_its_parents(db):
    seed_places("city")
    townships = Township.objects.filter(district__city__code="3306").select_related("district")
    assert townships.count() == 118
    assert all(len(t.code) == 9 and t.code.startswith(t.district.code) for t in townships)
    villages = Village.objects.filter(township__district__city__code="3306").select_related("township")
    assert villages.count() == 2195
    assert all(len(v.code) == 12 and v.code.startswith(v.township.code) for v in villages)
    # 2,195 over 118 townships: 71 townships of 19 villages, 47 of 18.
    assert Counter(Counter(villages.values_list("township_id", flat=True)).values()) == {19: 71, 18: 47}


def test_xinchang_has_its_first_pilot_township_shaxi(db):
    seed_places("city")
    shaxi = Township.objects.get(name="沙溪镇")
    assert (shaxi.code, shaxi.district.name, shaxi.kind) == ("330624100", "新昌县", Township.Kind.TOWN)
    assert list(Township.objects.filter(district__code="330624").values_list("code", "name")[:4]) == [
        ("330624001", "羽林街道"),
        ("330624002", "南明街道"),
        ("330624003", "七星街道"),
        ("330624100", "沙溪镇"),
    ]


def test_township_codes_number_subdistricts_from_001_towns_from_100_and_xiang_from_200():
    xinchang = next(county for county in CITY_COUNTIES if county.code == "330624")
    assert township_codes(xinchang) == [
        "330624001",
        "330624002",
        "330624003",
        *[f"330624{number}" for number in range(100, 107)],
        "330624200",
        "330624201",
    ]
    assert township_codes(LUQIAO)[-4:] == ["331004100", "331004101", "331004102", "331004103"]


def test_every_city_township_name_is_unique():
    names = [name for county in CITY_COUNTIES for name in county.townships]
    assert len(names) == len(set(names)) == 118


def test_the_district_demo_is_luqiao_alone_without_a_city(db):
    result = seed_places("district")
    assert result.city is None and City.objects.count() == 0
    (luqiao,) = result.counties
    assert (luqiao.code, luqiao.name, luqiao.kind, luqiao.city) == ("331004", "路桥区", District.Kind.DISTRICT, None)
    assert (result.townships, result.villages) == (10, 314)
    assert Township.objects.get(code="331004100").name == "新桥镇"


def test_seeding_places_twice_creates_nothing_new(db):
    seed_places("city")
    counts = (City.objects.count(), District.objects.count(), Township.objects.count(), Village.objects.count())
    assert seed_places("city").created_villages == 0
    assert (City.objects.count(), District.objects.count(), Township.objects.count(), Village.objects.count()) == counts


def test_a_county_seeded_before_counties_had_a_city_gets_its_city_and_kind(db):
    District.objects.create(code="330624", name="新昌县", is_demo=True)  # kind 区 by default, no city
    seed_places("city")
    xinchang = District.objects.get(code="330624")
    assert (xinchang.kind, xinchang.city.code) == (District.Kind.COUNTY, "3306")
