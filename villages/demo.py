"""Made-up places for the demo: Luqiao's ten real townships (district size) or a city of 118
townships and 2,195 villages (city size, Shaoxing's scale). Deterministic, so runs are repeatable."""

import random
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from audit.models import EventType
from audit.services import record_event
from core.publication import bump_public_generation

from .models import District, Township, Village
from .selectors import DEMO_FLAG_CACHE_KEY

LUQIAO = ("331004", "路桥区")
LUQIAO_TOWNSHIPS = [
    ("331004001", "路桥街道", 34),
    ("331004002", "路南街道", 28),
    ("331004003", "路北街道", 30),
    ("331004004", "螺洋街道", 31),
    ("331004005", "桐屿街道", 33),
    ("331004006", "峰江街道", 36),
    ("331004100", "新桥镇", 30),
    ("331004101", "横街镇", 29),
    ("331004102", "金清镇", 32),
    ("331004103", "蓬街镇", 31),
]
CITY_DISTRICTS = [
    ("330602", "越城区", 20),
    ("330603", "柯桥区", 19),
    ("330604", "上虞区", 21),
    ("330624", "新昌县", 12),
    ("330681", "诸暨市", 23),
    ("330683", "嵊州市", 23),
]
CITY_VILLAGES = 2195

FIRST = "东西南北上下前后新老大小金银石桥河湖山塘岙洋沙湾溪竹梅桃松柏兴安和平丰宁永福长青"
SECOND = "浦岙桥塘头洋岸港湾溪埠屿里庄园门坊田墩垟山林店渡泾湖堰岭坑"
TOWNSHIP_FIRST = "安昌柯钱齐孙杨马陶漓福兰平钟南崧丰章梁百汤谢驿长城儒岳甘三"
TOWNSHIP_SECOND = "桥岩湾溪山浦阳江园湖宁峰岭田口"


@dataclass(frozen=True)
class SeedResult:
    districts: int
    townships: int
    villages: int
    created_villages: int


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


def _township_plan(size: str, rng: random.Random) -> list[tuple[str, str, str, str, int]]:
    """(district code, district name, township code, township name, village count) per township."""
    if size == "district":
        return [(*LUQIAO, code, name, count) for code, name, count in LUQIAO_TOWNSHIPS]
    total_townships = sum(count for *_, count in CITY_DISTRICTS)
    base, extra = divmod(CITY_VILLAGES, total_townships)
    plan, index, used = [], 0, set()
    for district_code, district_name, township_count in CITY_DISTRICTS:
        for number in range(1, township_count + 1):
            name = ""
            while not name or name in used:
                name = rng.choice(TOWNSHIP_FIRST) + rng.choice(TOWNSHIP_SECOND)
            used.add(name)
            suffix = "街道" if number <= 3 else "镇"
            code = f"{district_code}{number:03d}" if number <= 3 else f"{district_code}{96 + number:03d}"
            plan.append((district_code, district_name, code, name + suffix, base + (1 if index < extra else 0)))
            index += 1
    return plan


@transaction.atomic
def seed_places(size: str = "district") -> SeedResult:
    """Create what is missing; existing places are left as they are."""
    rng = random.Random(f"lianjie-{size}")
    plan = _township_plan(size, rng)
    districts = {}
    for district_code, district_name, *_rest in plan:
        if district_code not in districts:
            districts[district_code], _ = District.objects.get_or_create(
                code=district_code, defaults={"name": district_name, "is_demo": True}
            )
    existing = set(Village.objects.filter(township__district__code__in=districts).values_list("code", flat=True))
    new_villages = []
    for district_code, _name, township_code, township_name, count in plan:
        kind = Township.Kind.SUBDISTRICT if township_name.endswith("街道") else Township.Kind.TOWN
        township, _ = Township.objects.get_or_create(
            code=township_code, defaults={"name": township_name, "kind": kind, "district": districts[district_code]}
        )
        communities = villages = 0
        for name, village_kind in _village_names(rng, count):
            # Statistical codes: 001-199 for residents' committees (社区), 200 and up for villages.
            if village_kind == "community":
                communities += 1
                code = f"{township_code}{communities:03d}"
            else:
                villages += 1
                code = f"{township_code}{199 + villages:03d}"
            if code not in existing:
                new_villages.append(Village(code=code, name=name, kind=village_kind, township=township))
    # Bulk writes skip the per-row history signal, so the load is audited as one event.
    bulk_create_with_history(new_villages, Village, batch_size=500)
    if new_villages:
        record_event(
            EventType.IMPORTED, target_type="villages.Village", data={"rows": len(new_villages), "source": "seed_demo"}
        )
    return SeedResult(
        districts=len(districts),
        townships=len(plan),
        villages=sum(count for *_, count in plan),
        created_villages=len(new_villages),
    )


def demo_data_changed() -> None:
    """Pages show the demo banner and the seeded results at their next request: the cached flag is
    forgotten and cached public pages get a new generation."""
    cache.delete(DEMO_FLAG_CACHE_KEY)
    bump_public_generation()
