"""seed_demo --size city: 绍兴市 with its six counties, each county's logins bound to it and its work
seeded by its own people, the city's logins bound to the city, one secretary per township; idempotent.

Slow: the city is seeded once for the module. Every county gets its places, logins, two years of index
rounds and their follow-up for real; petitions, inspections and star ratings cost about 20 s of services a
county whatever its size, so they are made for real in 新昌县 only and the other counties' calls are
recorded (which county, which people)."""

from contextlib import contextmanager
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import Role
from cities.models import CountyStep
from inspections.models import InspectionRound
from petitions.models import Petition
from scoring.models import Period, Round
from stars.models import StarApplication
from villages.models import City, District, Township, Village
from villages.selectors import villages_for

# The demo is `make run`'s, on SQLite; on PostgreSQL the benchmark test seeds the same city through the same
# functions (tests/lianjie/test_benchmark_command.py, the services run).
pytestmark = [pytest.mark.slow, pytest.mark.embedded_run]

COUNTIES = ["330602", "330603", "330604", "330624", "330681", "330683"]
XINCHANG = "330624"
SEEDS = ("seed_petitions", "seed_inspections", "seed_stars")


@contextmanager
def county_work_in_xinchang_only(calls: list):
    """The three costly seeds run for real in 新昌县; elsewhere each call is recorded and makes nothing."""
    from lianjie.management.commands import seed_demo

    def only_in_xinchang(name, seed):
        def wrapper(*, district, **people):
            calls.append((name, district.code, people))
            return seed(district=district, **people) if district.code == XINCHANG else 0

        return wrapper

    with pytest.MonkeyPatch.context() as patch:
        for name in SEEDS:
            patch.setattr(seed_demo, name, only_in_xinchang(name, getattr(seed_demo, name)))
        yield


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The city seeded once for the module, in a transaction rolled back after the last test; each test
    runs in a savepoint inside it (the `db` fixture)."""
    output, calls = StringIO(), []
    with django_db_blocker.unblock(), transaction.atomic():
        with county_work_in_xinchang_only(calls):
            call_command("seed_demo", size="city", years=2, stdout=output)
        yield SimpleNamespace(output=output.getvalue(), calls=calls)
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_the_city_is_shaoxing_with_six_counties_118_townships_and_2195_villages(seeded):
    city = City.objects.get()
    assert (city.code, city.name) == ("3306", "绍兴市")
    assert list(city.districts.order_by("code").values_list("code", "name", "kind")) == [
        ("330602", "越城区", "district"),
        ("330603", "柯桥区", "district"),
        ("330604", "上虞区", "district"),
        ("330624", "新昌县", "county"),
        ("330681", "诸暨市", "county_city"),
        ("330683", "嵊州市", "county_city"),
    ]
    assert Township.objects.filter(district__city=city).count() == 118
    assert Village.objects.filter(township__district__city=city).count() == 2195
    assert Township.objects.get(code="330624100").name == "沙溪镇"


def test_each_countys_staff_leader_and_petition_office_are_bound_to_their_county(seeded):
    for code in COUNTIES:
        for prefix, role in (
            ("staff", Role.COMMISSION_STAFF),
            ("leader", Role.COMMISSION_LEADER),
            ("petition", Role.PETITION_OFFICER),
        ):
            user = User.objects.get(username=f"{prefix}-{code}")
            assert (user.role, user.district.code, user.township, user.city) == (role, code, None, None)
    xinchang_staff = User.objects.get(username="staff-330624")
    assert (xinchang_staff.full_name, xinchang_staff.district.name) == ("新昌县纪委工作人员（演示）", "新昌县")
    assert {village.township.district.name for village in villages_for(xinchang_staff)} == {"新昌县"}
    assert len(villages_for(xinchang_staff)) == Village.objects.filter(township__district__code=XINCHANG).count()


def test_the_city_staff_and_leader_are_bound_to_shaoxing_and_read_every_county(seeded):
    for username, role in (("city-staff", Role.CITY_STAFF), ("city-leader", Role.CITY_LEADER)):
        user = User.objects.get(username=username)
        assert (user.role, user.city.name, user.district, user.township) == (role, "绍兴市", None, None)
    assert len(villages_for(User.objects.get(username="city-staff"))) == 2195


def test_every_township_has_its_secretary_and_every_login_the_demo_password(seeded):
    townships = Township.objects.filter(district__city__code="3306")
    secretaries = User.objects.filter(username__startswith="secretary-3306")
    assert sorted(secretaries.values_list("username", "township__code")) == sorted(
        (f"secretary-{code}", code) for code in townships.values_list("code", flat=True)
    )
    assert User.objects.get(username="secretary-330624100").township.name == "沙溪镇"
    usernames = ["sysadmin", "secadmin", "auditor", "city-staff", "city-leader"]
    usernames += [f"{prefix}-{code}" for code in COUNTIES for prefix in ("staff", "leader", "petition")]
    users = User.objects.filter(username__in=usernames)
    assert users.count() == len(usernames) == 23
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    # The district demo's short logins belong to 路桥区 working alone: the city has none.
    assert not User.objects.filter(username__in=["staff", "leader", "petition"]).exists()


def test_each_county_has_its_own_index_periods_published_by_its_own_leader(seeded):
    for code in COUNTIES:
        periods = Period.objects.filter(district__code=code)
        assert periods.count() == 2
        # Last year's index and the correction that answers the upheld objection of its publicity period,
        # published two days ago by the county's leader, so that its publicity window is open now
        # (scoring.demo.seed_objections); this year's round is still in entry.
        published = Round.objects.filter(period__in=periods, status=Round.Status.PUBLISHED).order_by("revision")
        assert [(round_.revision, round_.published_by.username) for round_ in published] == [
            (1, f"leader-{code}"),
            (2, f"leader-{code}"),
        ]
        assert "回应公示期异议" in published[1].correction_reason
        assert published[1].publicity_ends_on >= timezone.localdate()
        drafts = Round.objects.filter(period__in=periods, status=Round.Status.DRAFT)
        assert [(round_.period.year, round_.corrects_id) for round_ in drafts] == [(2026, None)]


def test_each_countys_petitions_inspections_and_stars_are_seeded_with_its_own_people(seeded):
    for name in SEEDS:
        calls = [(code, people) for seed, code, people in seeded.calls if seed == name]
        assert [code for code, _people in calls] == COUNTIES
        for code, people in calls:
            bound = {user.username: user.district.code for user in people.values() if isinstance(user, User)}
            assert bound and set(bound.values()) == {code}, (name, bound)
            assert {user.township.district.code for user in people.get("secretaries", {}).values()} <= {code}
    _, _, stars_people = next(call for call in seeded.calls if call[:2] == ("seed_stars", XINCHANG))
    assert len(stars_people["secretaries"]) == 12


def test_xinchangs_petitions_inspections_and_stars_are_its_own_made_by_its_own_people(seeded):
    petitions = Petition.objects.all()
    assert petitions.exists()
    assert set(petitions.values_list("district__code", "registered_by__username")) == {(XINCHANG, "petition-330624")}
    rounds = InspectionRound.objects.all()
    assert rounds.exists()
    assert set(rounds.values_list("district__code", "created_by__username")) == {(XINCHANG, "staff-330624")}
    # The villages' stars are Xinchang's (the pilot); every county rates its own townships and stations.
    ratings = StarApplication.objects.select_related("township__district", "filed_by__township")
    assert {rating.subject for rating in ratings} == {"village", "township", "station"}
    units = ratings.exclude(subject="village")
    assert {(rating.township.district_id, rating.filed_by.township.district_id) for rating in units} == {
        (county, county) for county in {rating.township.district_id for rating in units}
    }
    applications = ratings.filter(subject="village")
    assert {application.township.district.code for application in applications} == {XINCHANG}
    filers = {application.filed_by for application in applications}
    assert {(user.role, user.township.district.code) for user in filers} == {(Role.TOWNSHIP_SECRETARY, XINCHANG)}


def test_the_city_has_this_years_five_steps_for_every_county(seeded):
    assert "30 new 五个一 steps." in seeded.output.splitlines()[0]
    steps = CountyStep.objects.select_related("district")
    assert sorted({step.district.code for step in steps}) == COUNTIES
    assert {step.history.last().history_user.username for step in steps} == {"city-staff"}  # set by the city
    done = steps.filter(status=CountyStep.Status.DONE)
    assert done.exists() and {step.district.code for step in done} <= set(COUNTIES)
    assert {step.history.first().history_user.username for step in done} == {
        f"staff-{step.district.code}" for step in done
    }  # each reported by its own county's staff


def test_the_printed_logins_list_the_city_each_county_and_the_secretaries_pattern(seeded):
    first = Village.objects.order_by("code").first()
    lines = seeded.output.splitlines()
    assert lines[0].startswith(
        "Demo places: 绍兴市 (3306) with 6 counties, 118 townships, 2195 villages (2195 new); 12 new index rounds, "
    )
    assert lines[2:] == [
        "Demo logins (password Lianjie-demo-2025; * signs in with TOTP secret LIANJIEDEMOTOTP2):",
        "  3306   绍兴市  city-staff*  city-leader*",
        "  330602 越城区  staff-330602*  leader-330602*  petition-330602*",
        "  330603 柯桥区  staff-330603*  leader-330603*  petition-330603*",
        "  330604 上虞区  staff-330604*  leader-330604*  petition-330604*",
        "  330624 新昌县  staff-330624*  leader-330624*  petition-330624*",
        "  330681 诸暨市  staff-330681*  leader-330681*  petition-330681*",
        "  330683 嵊州市  staff-330683*  leader-330683*  petition-330683*",
        "  administrators  sysadmin*  secadmin*  auditor*",
        "  township secretaries: secretary-<township code> for each of the 118 townships, "
        "e.g. secretary-330602001 (府山街道)",
        "  village cadres: village-<village code> (Party secretary) and supervisor-<village code> (supervision "
        f"committee) for each of the 2195 villages, e.g. village-{first.code} ({first.name})",
    ]


def test_seeding_the_city_twice_changes_nothing(seeded):
    models = (District, Township, Village, User, Period, Round, Petition, InspectionRound, StarApplication, CountyStep)
    counts = [model.objects.count() for model in models]
    output = StringIO()
    with county_work_in_xinchang_only([]):
        call_command("seed_demo", size="city", years=2, quiet=True, stdout=output)
    assert [model.objects.count() for model in models] == counts
    assert output.getvalue() == (
        "Demo places: 绍兴市 (3306) with 6 counties, 118 townships, 2195 villages (0 new); 0 new index rounds, "
        "0 new inspection findings, 0 new star applications, 0 new petitions, 0 new 五个一 steps.\n"
    )
