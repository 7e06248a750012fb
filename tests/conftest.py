"""The cast every test uses: the demo roles plus two secretaries of different townships, and a
canary village in the other township that must never show up for secretary A."""

import os
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache, caches
from django.db import connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import Client
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from core import publication
from core.cache import ForgivingRedisCache
from core.publication import bump_public_generation
from scoring.models import Round
from scoring.services import round_compute_results

from .factories import DistrictFactory, TownshipFactory, UserFactory, VillageFactory
from .scoring_helpers import fill_scores, make_round

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CANARY = "CANARY-金丝雀村"
# The day the run started, in Asia/Shanghai, for the tests that work relative to today (`on_today`).
TODAY = timezone.localdate()


@pytest.fixture
def on_today():
    """Holds the clock at noon of TODAY (it still ticks): a run that crosses midnight in Shanghai (16:00
    UTC) would otherwise compare the dates the test computed before with those the services take after."""
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def pytest_sessionstart(session):
    """Compiled catalogs are built, not committed: without them every Chinese text a test expects would
    fail, one opaque failure at a time."""
    root = Path(__file__).resolve().parent.parent
    missing = [po for po in root.glob("locale*/*/LC_MESSAGES/*.po") if not po.with_suffix(".mo").exists()]
    if missing:
        pytest.exit(f"{missing[0].with_suffix('.mo')} is missing: run `make messages` first.", returncode=4)


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: seeds a whole demo city; `-m 'not slow'` leaves it out")


def pytest_collection_modifyitems(config, items):
    skip_services = pytest.mark.skip(reason="needs REDIS_URL (the services run of .ci/run)")
    skip_postgres = pytest.mark.skip(reason="needs DATABASE_URL pointing at PostgreSQL")
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    for item in items:
        if "services" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_services)
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_postgres)
        # Each test runs in the one run of .ci/run where it proves something (pyproject.toml's markers).
        if on_postgres and ("embedded_run" in item.keywords or "browser" in item.keywords):
            item.add_marker(pytest.mark.skip(reason="database-independent: runs in the embedded run of .ci/run"))
        if not on_postgres and (marker := item.get_closest_marker("services_run")):
            item.add_marker(pytest.mark.skip(reason=f"runs in the services run of .ci/run: {marker.kwargs['why']}"))


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """Threads of live_server and of the in-process Celery workers may still hold a PostgreSQL session
    when the run ends; end them, so that the test database is dropped rather than left behind."""
    yield
    # Only once a test database was made (a run of tests that need none has none, and no server database
    # may be touched).
    if connection.vendor == "postgresql" and connection.settings_dict["NAME"].startswith(TEST_DATABASE_PREFIX):
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


# Between transactional tests Django empties every table with one TRUNCATE, which costs PostgreSQL tens of
# milliseconds per table (6-8 s for 140 tables here); a DELETE of the few rows a test left takes a few ms.
# Tables with a row trigger (the audit log's refuses DELETE) are still truncated, when they hold rows.
FLUSH_BY_DELETE = """
DO $$
DECLARE
    name text;
    filled boolean;
BEGIN
    FOREACH name IN ARRAY %(tables)s LOOP
        IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = quote_ident(name)::regclass AND NOT tgisinternal) THEN
            EXECUTE format('SELECT EXISTS (SELECT FROM %%I)', name) INTO filled;
            IF filled THEN
                EXECUTE format('TRUNCATE %%I CASCADE', name);
            END IF;
        END IF;
    END LOOP;
    SET CONSTRAINTS ALL DEFERRED;
    FOREACH name IN ARRAY %(tables)s LOOP
        IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgrelid = quote_ident(name)::regclass AND NOT tgisinternal) THEN
            EXECUTE format('DELETE FROM %%I', name);
        END IF;
    END LOOP;
END $$
"""


@pytest.fixture(scope="session", autouse=True)
def _flush_postgresql_by_delete():
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        names = ", ".join("'{}'".format(table.replace("'", "''")) for table in tables)
        return [FLUSH_BY_DELETE % {"tables": f"ARRAY[{names}]::text[]"}]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.delete("lianjie:demo-data-loaded")
    # Cached public pages of an earlier test must not answer for this one's data (no cache.clear():
    # on Redis that would flush the database the Celery broker shares).
    bump_public_generation()
    caches["public_pages"].clear()  # in-process memory, never Redis


@pytest.fixture(autouse=True)
def _default_language():
    """A test client's request with the English cookie leaves English active in the test's thread (the
    locale middleware activates it and nothing deactivates it): the next test would read English."""
    yield
    translation.deactivate()


@dataclass
class Cast:
    township_a: object
    township_b: object
    village_a: object
    village_b: object
    users: dict  # name -> User; names as in CAST_ROLES (and SECOND_COUNTY_ROLES, CITY_CAST_ROLES)
    # With the second_county fixture: the other county's township and canary village.
    township_c: object = None
    village_c: object = None


CAST_ROLES = {
    "secretary_a": Role.TOWNSHIP_SECRETARY,
    "secretary_b": Role.TOWNSHIP_SECRETARY,
    "staff": Role.COMMISSION_STAFF,
    "leader": Role.COMMISSION_LEADER,
    "petition": Role.PETITION_OFFICER,
    "sysadmin": Role.SYSTEM_ADMIN,
    "secadmin": Role.SECURITY_ADMIN,
    "auditor": Role.AUDIT_ADMIN,
}


@pytest.fixture
def cast(db) -> Cast:
    township_a = TownshipFactory(code="331004001", name="路桥街道")
    township_b = TownshipFactory(code="331004002", name="路南街道", district=township_a.district)
    village_a = VillageFactory(township=township_a, code="331004001201", name="石曲村")
    village_b = VillageFactory(township=township_b, code="331004002201", name=CANARY)
    users = {}
    for name, role in CAST_ROLES.items():
        township = {"secretary_a": township_a, "secretary_b": township_b}.get(name)
        users[name] = UserFactory(username=name, role=role, township=township, is_staff=role == Role.SYSTEM_ADMIN)
    return Cast(township_a, township_b, village_a, village_b, users)


def sign_in(client: Client, user) -> Client:
    """Signs the user in, with the second factor verified where the role needs one."""
    client.force_login(user)
    if user.needs_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user, confirmed=True).get().persistent_id
        session.save()
    return client


SECOND_COUNTY_CANARY = "CANARY-黄岩金丝雀村"
SECOND_COUNTY_ROLES = {
    "staff_b": Role.COMMISSION_STAFF,
    "leader_b": Role.COMMISSION_LEADER,
    "petition_b": Role.PETITION_OFFICER,
}
CITY_CAST_ROLES = {"city_staff": Role.CITY_STAFF, "city_leader": Role.CITY_LEADER}
VILLAGE_CAST_ROLES = {"village_a": Role.VILLAGE_SECRETARY, "supervisor_a": Role.VILLAGE_SUPERVISOR}


@pytest.fixture
def second_county(cast) -> Cast:
    """A second county of the same city (黄岩区, with one township and its canary village), its staff,
    leader and petition office, and the city's staff and leader; added to the cast's users. Nothing of
    the cast's county may show up for the second county's users."""
    district_b = DistrictFactory(code="331003", name="黄岩区")
    cast.township_c = TownshipFactory(code="331003001", name="东城街道", district=district_b)
    cast.village_c = VillageFactory(township=cast.township_c, code="331003001201", name=SECOND_COUNTY_CANARY)
    for name, role in SECOND_COUNTY_ROLES.items():
        cast.users[name] = UserFactory(username=name, role=role, district=district_b)
    for name, role in CITY_CAST_ROLES.items():
        cast.users[name] = UserFactory(username=name, role=role)
    return cast


@pytest.fixture
def village_cadres(cast) -> Cast:
    """Village A's Party secretary and supervision committee head, added to the cast's users: nothing of
    village B (the canary, in township B) may show up for them."""
    for name, role in VILLAGE_CAST_ROLES.items():
        cast.users[name] = UserFactory(username=name, role=role, village=cast.village_a)
    return cast


@pytest.fixture
def client_for(cast):
    def make(name: str, **client_kwargs) -> Client:
        client = Client(**client_kwargs)
        if name == "anonymous":
            return client
        return sign_in(client, cast.users[name])

    return make


@pytest.fixture
def year_2025(cast):
    """A published 2025 index: three villages of township A (91, 95.5, 75) and the canary (85)."""
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    weak = VillageFactory(township=cast.township_a, name="后进村")
    good = VillageFactory(township=cast.township_a, name="先进村")
    for village, total in [(cast.village_a, "91"), (good, "95.5"), (weak, "75"), (cast.village_b, "85")]:
        fill_scores(round_, village, total)
    round_compute_results(round_)
    return round_


@pytest.fixture
def grid_round(cast):
    """A draft round with every score of village A (95 in all)."""
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95")
    return round_


DEAD_REDIS = {"BACKEND": "core.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


@pytest.fixture
def redis_away(settings, monkeypatch):
    """The shared cache configured on a Redis that does not answer; returns that cache."""
    settings.CACHES = {**settings.CACHES, "default": DEAD_REDIS}
    monkeypatch.setattr(ForgivingRedisCache, "_unreachable_until", 0.0)
    monkeypatch.setattr(publication, "_known", (None, 0.0))  # this process has read no generation yet
    return caches["default"]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def page(request, transactional_db):
    """A headless Debian Chromium page (Playwright, never a downloaded browser); a screenshot is saved
    in test-artifacts/ when the test fails."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is installed by `make test`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
