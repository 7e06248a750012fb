"""seed_demo: the ten Luqiao townships and about 300 villages, the demo logins; idempotent."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, demo_totp_key_hex
from accounts.models import User
from accounts.roles import Role
from villages.models import Township, Village
from villages.selectors import villages_for

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
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", quiet=True)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    pass


def test_the_district_has_luqiaos_ten_townships_and_about_300_villages(seeded):
    assert list(Township.objects.order_by("code").values_list("name", flat=True)) == LUQIAO
    assert 280 <= Village.objects.count() <= 330
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


def test_the_city_size_has_118_townships_and_2195_villages(db):
    call_command("seed_demo", size="city", quiet=True)
    city = Township.objects.exclude(district__code="331004")
    assert city.count() == 118
    assert Village.objects.filter(township__in=city).count() == 2195
    assert User.objects.filter(username__startswith="secretary-", township__in=city).count() == 118
