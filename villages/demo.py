"""Made-up places for the demo: Luqiao's ten real townships alone (district size), or 绍兴市 with its six
counties, 118 townships (their names real or made up) and 2,195 made-up villages (city size, Shaoxing's
scale). Deterministic, so runs are repeatable."""

import random
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from simple_history.utils import bulk_create_with_history

from audit.models import EventType
from audit.services import record_event
from core.publication import bump_public_generation

from .models import City, District, Station, StationKind, Township, Village
from .selectors import DEMO_FLAG_CACHE_KEY
from .services import station_kinds_ensure


@dataclass(frozen=True)
class DemoCounty:
    code: str
    name: str
    kind: str  # District.Kind
    townships: tuple[str, ...]  # 街道 first, then 镇, then 乡: their codes are numbered in that order


LUQIAO = DemoCounty(
    "331004",
    "路桥区",
    District.Kind.DISTRICT,
    ("路桥街道", "路南街道", "路北街道", "螺洋街道", "桐屿街道", "峰江街道", "新桥镇", "横街镇", "金清镇", "蓬街镇"),
)
LUQIAO_VILLAGES = (34, 28, 30, 31, 33, 36, 30, 29, 32, 31)  # per township, in order: 314 村居 as published

CITY = ("3306", "绍兴市")
# 新昌 was the first county of 评星晋级 and 沙溪镇 its first pilot township.
CITY_COUNTIES = (
    DemoCounty(
        "330602",
        "越城区",
        District.Kind.DISTRICT,
        (
            *("府山街道", "塔山街道", "北海街道", "城南街道", "稽山街道", "迪荡街道", "东湖街道", "皋埠街道"),
            *("马山街道", "鉴湖街道", "灵芝街道", "东浦街道", "斗门街道", "孙端街道", "陶堰街道"),
            *("富盛镇", "若耶镇", "会稽镇", "兰渚镇", "镜水镇"),
        ),
    ),
    DemoCounty(
        "330603",
        "柯桥区",
        District.Kind.DISTRICT,
        (
            *("柯桥街道", "华舍街道", "齐贤街道", "柯岩街道", "湖塘街道", "钱清街道", "福全街道", "安昌街道"),
            *("兰亭街道", "杨汛桥街道", "马鞍街道"),
            *("漓渚镇", "平水镇", "王坛镇", "稽东镇", "夏履镇", "型塘镇", "东堡镇", "鉴水镇"),
        ),
    ),
    DemoCounty(
        "330604",
        "上虞区",
        District.Kind.DISTRICT,
        (
            *("百官街道", "曹娥街道", "东关街道", "道墟街道", "梁湖街道", "小越街道", "崧厦街道", "沥海街道"),
            *("章镇镇", "丰惠镇", "汤浦镇", "驿亭镇", "谢塘镇", "长塘镇", "永和镇", "盖北镇", "下管镇", "上浦镇"),
            *("陈溪乡", "岭南乡", "丁宅乡"),
        ),
    ),
    DemoCounty(
        "330624",
        "新昌县",
        District.Kind.COUNTY,
        (
            *("羽林街道", "南明街道", "七星街道"),
            *("沙溪镇", "澄潭镇", "大市聚镇", "儒岙镇", "回山镇", "镜岭镇", "小将镇"),
            *("东茗乡", "城南乡"),
        ),
    ),
    DemoCounty(
        "330681",
        "诸暨市",
        District.Kind.COUNTY_CITY,
        (
            *("暨阳街道", "浣东街道", "陶朱街道", "暨南街道", "大唐街道"),
            *("次坞镇", "店口镇", "阮市镇", "江藻镇", "枫桥镇", "赵家镇", "马剑镇", "草塔镇", "牌头镇"),
            *("同山镇", "安华镇", "街亭镇", "璜山镇", "浬浦镇", "陈宅镇", "岭北镇", "五泄镇"),
            "东和乡",
        ),
    ),
    DemoCounty(
        "330683",
        "嵊州市",
        District.Kind.COUNTY_CITY,
        (
            *("剡湖街道", "三江街道", "鹿山街道", "浦口街道"),
            *("甘霖镇", "长乐镇", "崇仁镇", "黄泽镇", "三界镇", "石璜镇", "谷来镇", "仙岩镇", "金庭镇"),
            *("北漳镇", "下王镇", "富润镇", "开元镇"),
            *("贵门乡", "里南乡", "竹溪乡", "雅璜乡", "王院乡", "通源乡"),
        ),
    ),
)
CITY_VILLAGES = 2195

# Statistical codes: a township's last three digits are 001-099 for a 街道, 100-199 for a 镇, 200-299 for a
# 乡; a village's are 001-199 for a residents' committee (社区), 200 and up for a village.
TOWNSHIP_NUMBERING = {"街道": 0, "镇": 99, "乡": 199}

FIRST = "东西南北上下前后新老大小金银石桥河湖山塘岙洋沙湾溪竹梅桃松柏兴安和平丰宁永福长青"
SECOND = "浦岙桥塘头洋岸港湾溪埠屿里庄园门坊田墩垟山林店渡泾湖堰岭坑"


@dataclass(frozen=True)
class SeedResult:
    city: City | None  # None for the district demo: 路桥区 works alone
    counties: list[District]  # in code order
    townships: int
    villages: int
    created_villages: int


@dataclass(frozen=True)
class _PlannedTownship:
    county: DemoCounty
    code: str
    name: str
    villages: int


def township_codes(county: DemoCounty) -> list[str]:
    """The county's township codes, in the order of its names."""
    codes, counted = [], dict.fromkeys(TOWNSHIP_NUMBERING, 0)
    for name in county.townships:
        suffix = "街道" if name.endswith("街道") else name[-1]
        counted[suffix] += 1
        codes.append(f"{county.code}{TOWNSHIP_NUMBERING[suffix] + counted[suffix]:03d}")
    return codes


def _village_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` distinct names with their kind; about one in six is an urban community (社区)."""
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < count:
        stem = rng.choice(FIRST) + rng.choice(SECOND)
        if stem in seen:
            continue
        seen.add(stem)
        community = rng.random() < 0.17
        names.append((stem + ("社区" if community else "村"), "community" if community else "village"))
    return names


def _township_plan(size: str) -> list[_PlannedTownship]:
    if size == "district":
        return [
            _PlannedTownship(LUQIAO, code, name, count)
            for code, name, count in zip(township_codes(LUQIAO), LUQIAO.townships, LUQIAO_VILLAGES, strict=True)
        ]
    # The city's villages spread evenly over its townships, the first ones taking one more.
    base, extra = divmod(CITY_VILLAGES, sum(len(county.townships) for county in CITY_COUNTIES))
    plan: list[_PlannedTownship] = []
    for county in CITY_COUNTIES:
        for code, name in zip(township_codes(county), county.townships, strict=True):
            plan.append(_PlannedTownship(county, code, name, base + (1 if len(plan) < extra else 0)))
    return plan


def _county(planned: DemoCounty, city: City | None) -> District:
    county, created = District.objects.get_or_create(
        code=planned.code, defaults={"name": planned.name, "kind": planned.kind, "city": city, "is_demo": True}
    )
    if not created and county.is_demo and (county.kind, county.city_id) != (planned.kind, city and city.pk):
        # A demo database seeded before counties had a kind and a city.
        county.kind, county.city = planned.kind, city
        county.save(update_fields=["kind", "city"])
    return county


@transaction.atomic
def seed_places(size: str = "district") -> SeedResult:
    """Create what is missing; existing places are left as they are."""
    rng = random.Random(f"lianjie-{size}")
    plan = _township_plan(size)
    city = None
    if size == "city":
        city, _ = City.objects.get_or_create(code=CITY[0], defaults={"name": CITY[1], "is_demo": True})
    counties: dict[str, District] = {}
    for planned in plan:
        if planned.county.code not in counties:
            counties[planned.county.code] = _county(planned.county, city)
    existing = set(Village.objects.filter(township__district__code__in=counties).values_list("code", flat=True))
    new_villages = []
    for planned in plan:
        kind = Township.Kind.SUBDISTRICT if planned.name.endswith("街道") else Township.Kind.TOWN
        township, _ = Township.objects.get_or_create(
            code=planned.code,
            defaults={"name": planned.name, "kind": kind, "district": counties[planned.county.code]},
        )
        communities = villages = 0
        for name, village_kind in _village_names(rng, planned.villages):
            if village_kind == "community":
                communities += 1
                code = f"{planned.code}{communities:03d}"
            else:
                villages += 1
                code = f"{planned.code}{199 + villages:03d}"
            if code not in existing:
                new_villages.append(Village(code=code, name=name, kind=village_kind, township=township))
    # Bulk writes skip the per-row history signal, so the load is audited as one event.
    bulk_create_with_history(new_villages, Village, batch_size=500)
    if new_villages:
        record_event(
            EventType.IMPORTED, target_type="villages.Village", data={"rows": len(new_villages), "source": "seed_demo"}
        )
    seed_stations(Township.objects.filter(district__in=counties.values()))
    return SeedResult(
        city=city,
        counties=sorted(counties.values(), key=lambda county: county.code),
        townships=len(plan),
        villages=sum(planned.villages for planned in plan),
        created_villages=len(new_villages),
    )


# The stations each demo township gets, by kind: "<township name><kind>" (e.g. 某某镇派出所).
DEMO_STATION_KINDS = ("派出所", "市场监管所", "自然资源所")


def seed_stations(townships: "QuerySet[Township]") -> int:
    """The default kinds of station, and three stations in each township (police, market supervision,
    natural resources) that it lacks; in bulk, audited as one event. Returns how many were created."""
    station_kinds_ensure()
    kinds = {kind.name: kind for kind in StationKind.objects.filter(name__in=DEMO_STATION_KINDS)}
    ordered = list(townships.order_by("code"))
    existing = set(Station.objects.filter(township__in=ordered).values_list("township_id", "name"))
    new_stations = [
        Station(township=township, kind=kinds[kind], name=f"{township.name}{kind}")
        for township in ordered
        for kind in DEMO_STATION_KINDS
        if kind in kinds and (township.pk, f"{township.name}{kind}") not in existing
    ]
    bulk_create_with_history(new_stations, Station, batch_size=500)
    if new_stations:
        record_event(
            EventType.IMPORTED, target_type="villages.Station", data={"rows": len(new_stations), "source": "seed_demo"}
        )
    return len(new_stations)


def demo_data_changed() -> None:
    """Pages show the demo banner and the seeded results at their next request: the cached flag is
    forgotten and cached public pages get a new generation."""
    cache.delete(DEMO_FLAG_CACHE_KEY)
    bump_public_generation()
