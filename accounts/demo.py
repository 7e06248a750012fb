"""Demo logins (DESIGN.md sections 9, 12 and 14): the administrators, one secretary per township, the
county's staff, leader and petition office: `staff`, `leader`, `petition` for a district working alone,
`staff-<county code>`… for each county of a city, with `city-staff` and `city-leader` for the city; and
for each village its Party secretary `village-<village code>` and supervision committee head
`supervisor-<village code>`. Demo data only."""

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from audit.models import EventType
from audit.services import record_event
from villages.models import City, District, Township, Village

from .models import User
from .roles import Role, second_factor_roles

DEMO_PASSWORD = "Lianjie-demo-2025"
DEMO_TOTP_SECRET = "LIANJIEDEMOTOTP2"  # base32; 30 s steps, 6 digits
# A district working alone: its logins carry no code.
DEMO_LOGINS = [
    ("staff", "区纪委工作人员（演示）", Role.COMMISSION_STAFF),
    ("leader", "区纪委领导（演示）", Role.COMMISSION_LEADER),
    ("petition", "信访室干部（演示）", Role.PETITION_OFFICER),
    ("sysadmin", "系统管理员（演示）", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员（演示）", Role.SECURITY_ADMIN),
    ("auditor", "审计管理员（演示）", Role.AUDIT_ADMIN),
]
ADMINISTRATOR_LOGINS = DEMO_LOGINS[3:]
# A city's counties: "staff-330624" and so on, named after the county ("新昌县纪委工作人员").
COUNTY_LOGINS = [
    ("staff", "纪委工作人员", Role.COMMISSION_STAFF),
    ("leader", "纪委领导", Role.COMMISSION_LEADER),
    ("petition", "纪委信访室干部", Role.PETITION_OFFICER),
]
COUNTY_LOGIN_ROLES = frozenset(role for _prefix, _title, role in COUNTY_LOGINS)
CITY_LOGINS = [
    ("city-staff", "纪委工作人员", Role.CITY_STAFF),
    ("city-leader", "纪委领导", Role.CITY_LEADER),
]
# Each village's cadres: "village-331004001201" (村党组织书记) and "supervisor-331004001201" (村监会主任).
VILLAGE_LOGINS = [
    ("village", "党组织书记", Role.VILLAGE_SECRETARY),
    ("supervisor", "村务监督委员会主任", Role.VILLAGE_SUPERVISOR),
]


@dataclass
class CountyCast:
    """A county's demo people, who seed its work as they would do it."""

    county: District
    staff: User
    leader: User
    petition: User
    secretaries: dict[int, User] = field(default_factory=dict)  # by township id


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    unit: str  # the name of the township, county or city the login is bound to; "" for the administrators
    unit_code: str = ""


@dataclass
class DemoUsers:
    logins: list[DemoLogin]
    counties: list[CountyCast]
    city_staff: User | None = None  # the city's staff login, who sets the city's own work
    villages: int = 0  # villages with their two cadres' logins (printed as a pattern, not one by one)
    village_example: DemoLogin | None = None


def demo_totp_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


@dataclass(frozen=True)
class _Wanted:
    username: str
    full_name: str
    role: Role
    township: Township | None = None
    district: District | None = None
    city: City | None = None


def _wanted(counties: list[District], city: City | None, townships: Iterable[Township]) -> list[_Wanted]:
    if city is None:  # one district working alone: today's short logins
        (county,) = counties
        wanted = [
            _Wanted(username, full_name, role, district=county if role in COUNTY_LOGIN_ROLES else None)
            for username, full_name, role in DEMO_LOGINS
        ]
    else:
        wanted = [_Wanted(username, full_name, role) for username, full_name, role in ADMINISTRATOR_LOGINS]
        wanted += [
            _Wanted(f"{prefix}-{county.code}", f"{county.name}{title}（演示）", role, district=county)
            for county in counties
            for prefix, title, role in COUNTY_LOGINS
        ]
        wanted += [
            _Wanted(username, f"{city.name}{title}（演示）", role, city=city) for username, title, role in CITY_LOGINS
        ]
    wanted += [
        _Wanted(f"secretary-{township.code}", f"{township.name}纪委书记（演示）", Role.TOWNSHIP_SECRETARY, township)
        for township in townships
    ]
    return wanted


@transaction.atomic
def seed_demo_users(*, counties: list[District], city: City | None = None) -> DemoUsers:
    """Create or refresh the demo logins of `counties` (one district working alone when `city` is None)
    and of their townships, each bound to its unit."""
    townships = list(Township.objects.filter(district__in=counties).select_related("district").order_by("code"))
    hashed = make_password(DEMO_PASSWORD)  # hash once: PBKDF2 costs ~0.3 s, and there may be 118 secretaries
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    needs_device = second_factor_roles()
    now = timezone.now()
    logins, users = [], {}
    for wanted in _wanted(counties, city, townships):
        user, _ = User.objects.update_or_create(
            username=wanted.username,
            defaults={
                "full_name": wanted.full_name,
                "password": hashed,
                "password_changed_at": now,
                "township": wanted.township,
                "district": wanted.district,
                "city": wanted.city,
                "is_staff": wanted.role == Role.SYSTEM_ADMIN,
                "is_active": True,
            },
        )
        user.groups.set([groups[wanted.role]])
        if wanted.role in needs_device:
            TOTPDevice.objects.update_or_create(
                user=user,
                name="demo",
                defaults={"key": demo_totp_key_hex(), "confirmed": True, "step": 30, "digits": 6},
            )
        unit = wanted.township or wanted.district or wanted.city
        logins.append(DemoLogin(wanted.username, wanted.role, unit.name if unit else "", unit.code if unit else ""))
        users[wanted.username] = user
    casts = []
    for county in counties:
        suffix = "" if city is None else f"-{county.code}"
        casts.append(
            CountyCast(
                county=county,
                staff=users[f"staff{suffix}"],
                leader=users[f"leader{suffix}"],
                petition=users[f"petition{suffix}"],
                secretaries={
                    township.pk: users[f"secretary-{township.code}"]
                    for township in townships
                    if township.district_id == county.pk
                },
            )
        )
    villages = list(Village.objects.filter(township__in=townships, active=True).order_by("code"))
    seed_village_logins(villages, hashed=hashed, groups=groups, now=now)
    example = villages[0] if villages else None
    return DemoUsers(
        logins=logins,
        counties=casts,
        city_staff=users.get("city-staff"),
        villages=len(villages),
        village_example=(
            DemoLogin(f"village-{example.code}", Role.VILLAGE_SECRETARY, example.name, example.code)
            if example
            else None
        ),
    )


def seed_village_logins(villages: list[Village], *, hashed: str, groups: dict[str, Group], now) -> int:
    """The two cadres' logins of each village that has none yet, in bulk: a city has 2,195 villages, a
    province 20,000. Bulk writes skip the per-row history signal, so the load is audited as one event."""
    wanted = {
        f"{prefix}-{village.code}": (village, f"{village.name}{title}（演示）", role)
        for village in villages
        for prefix, title, role in VILLAGE_LOGINS
    }
    # Read back by the village binding, not by 40,000 usernames in one IN (past SQLite's variable limit).
    cadres = User.objects.filter(village__isnull=False).values_list("username", "pk")
    existing = {username for username, _pk in cadres}
    new = [
        User(username=username, full_name=full_name, password=hashed, password_changed_at=now, village=village)
        for username, (village, full_name, _role) in wanted.items()
        if username not in existing
    ]
    bulk_create_with_history(new, User, batch_size=500)
    created = {username: pk for username, pk in cadres.all() if username not in existing and username in wanted}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=groups[wanted[username][2]].pk) for username, pk in created.items()],
        batch_size=500,
    )
    if new:
        record_event(EventType.IMPORTED, target_type="accounts.User", data={"rows": len(new), "source": "seed_demo"})
    return len(new)
