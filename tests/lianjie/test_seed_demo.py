"""seed_demo: 路桥区 alone with its ten townships and 314 villages, the demo logins; idempotent. (The city
demo: test_seed_demo_city.py.)"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, demo_totp_key_hex
from accounts.models import User
from accounts.roles import Role
from villages.models import City, District, Township, Village
from villages.selectors import villages_for

# The demo is `make run`'s, on SQLite (PostgreSQL seeds the city demo in the benchmark test).
pytestmark = pytest.mark.embedded_run

CODES = [f"331004{number:03d}" for number in (1, 2, 3, 4, 5, 6, 100, 101, 102, 103)]
LUQIAO = [
    "路桥街道",
    "路南街道",
    "路北街道",
    "螺洋街道",
    "桐屿街道",
    "峰江街道",
    "新桥镇",
    "横街镇",
    "金清镇",
    "蓬街镇",
]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The demo seeded once for the module (it takes half a minute), in a transaction rolled back after
    the last test; each test runs in a savepoint inside it (the `db` fixture)."""
    output = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_the_district_has_luqiaos_ten_townships_and_314_villages(seeded):
    assert list(Township.objects.order_by("code").values_list("name", flat=True)) == LUQIAO
    assert Village.objects.count() == 314
    for village in Village.objects.select_related("township"):
        assert village.code.startswith(village.township.code) and len(village.code) == 12


def test_seeding_twice_changes_nothing(seeded):
    counts = (Township.objects.count(), Village.objects.count(), User.objects.count())
    call_command("seed_demo", quiet=True)
    assert (Township.objects.count(), Village.objects.count(), User.objects.count()) == counts


def test_every_demo_login_works_with_the_demo_password(seeded):
    usernames = ["staff", "leader", "petition", "sysadmin", "secadmin", "auditor"]
    usernames += [f"secretary-{code}" for code in Township.objects.values_list("code", flat=True)]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    assert set(users) == set(usernames)
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())


def test_each_secretary_is_bound_to_its_township(seeded):
    secretary = User.objects.get(username="secretary-331004003")
    assert secretary.role == Role.TOWNSHIP_SECRETARY
    assert secretary.township.name == "路北街道"
    assert {v.township.name for v in villages_for(secretary)} == {"路北街道"}


def test_the_demo_totp_secret_gives_the_codes_an_authenticator_shows(seeded):
    device = TOTPDevice.objects.get(user__username="leader")
    assert device.key == demo_totp_key_hex() == "5a00d4a083231d374dfa"
    assert device.verify_token(f"{totp(device.bin_key):06d}")


def test_luqiao_works_alone_and_its_staff_leader_and_petition_office_are_bound_to_it(seeded):
    luqiao = District.objects.get()
    assert (luqiao.code, luqiao.name, luqiao.kind, luqiao.city) == ("331004", "路桥区", District.Kind.DISTRICT, None)
    assert not City.objects.exists()
    for username in ("staff", "leader", "petition"):
        assert User.objects.get(username=username).district == luqiao
    for username in ("sysadmin", "secadmin", "auditor"):
        assert User.objects.get(username=username).unit is None


def test_the_printed_logins_are_the_districts_short_ones_with_each_secretarys_township(seeded):
    first = Village.objects.order_by("code").first()
    lines = seeded.splitlines()
    assert lines[0].startswith("Demo places: 1 district(s), 10 townships, 314 villages (314 new); 3 new index rounds")
    assert lines[2:] == [
        "Demo logins (password Lianjie-demo-2025):",
        "  staff                  区纪委工作人员   (TOTP secret LIANJIEDEMOTOTP2)",
        "  leader                 区纪委领导   (TOTP secret LIANJIEDEMOTOTP2)",
        "  petition               信访室干部   (TOTP secret LIANJIEDEMOTOTP2)",
        "  sysadmin               系统管理员   (TOTP secret LIANJIEDEMOTOTP2)",
        "  secadmin               安全管理员   (TOTP secret LIANJIEDEMOTOTP2)",
        "  auditor                审计管理员   (TOTP secret LIANJIEDEMOTOTP2)",
        *[f"  {'secretary-' + code:<22} 镇街纪委书记 {name}" for code, name in zip(CODES, LUQIAO, strict=True)],
        f"  village cadres: village-<village code> (Party secretary) and supervisor-<village code> (supervision "
        f"committee) for each of the 314 villages, e.g. village-{first.code} ({first.name})",
    ]


def test_each_village_has_its_party_secretary_and_supervision_committee_head(seeded):
    cadres = User.objects.filter(village__isnull=False).select_related("village")
    by_username = {user.username: user for user in cadres.prefetch_related("groups")}
    assert len(by_username) == 2 * 314
    for village in Village.objects.all():
        secretary, supervisor = by_username[f"village-{village.code}"], by_username[f"supervisor-{village.code}"]
        assert (secretary.village, secretary.role) == (village, Role.VILLAGE_SECRETARY)
        assert (supervisor.village, supervisor.role) == (village, Role.VILLAGE_SUPERVISOR)
    assert by_username[f"village-{village.code}"].check_password(DEMO_PASSWORD)
