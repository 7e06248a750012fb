"""One installation, several counties (issue 18): each county rates its villages as a lone district does, on
its own criteria (a copy of the city-wide default, adjusted) or the default; its leader decides its 4–5
stars and nobody else's; another county's staff and leader get 404 on its objects and see none of them;
the city's staff and leader read every county of the city and change nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notice
from core.copying import copied_values
from stars import services as star_services
from stars.criteria_services import COUNTY_CRITERIA_COPY_EXCLUDES, criteria_copy_for_county
from stars.models import StarApplication, StarCriteria, StarItem, StarPilotStage, StarVetoHit, StarVetoItem
from stars.selectors import criteria_applying

from ..conftest import CANARY, SECOND_COUNTY_CANARY
from ..star_helpers import criteria, decided, draft, filed, fixed, secretary_of


def forwarded(cast, village=None) -> StarApplication:
    """A 4-star application (90 points) the township sent on to its county with its opinion."""
    application = filed(cast, 4, total="90", village=village)
    return star_services.application_forward(
        application=application,
        acting_user=secretary_of(cast, application.village),
        opinion="建议四星",
        points=Decimal("90"),
        level=4,
    )


def decision(application) -> dict:
    return {"opinion": "同意四星", "points": "90", "level": "4", "version": application.version}


# --- 4–5 stars: the village's county leader decides -----------------------------------------------------


def test_the_second_countys_leader_cannot_decide_the_first_countys_four_stars(second_county, client_for):
    application = forwarded(second_county)
    url = reverse("stars:action", args=[application.pk, "decide"])

    assert client_for("leader_b").post(url, decision(application)).status_code == 404
    with pytest.raises(PermissionDenied):
        star_services.application_decide(
            application=application,
            acting_user=second_county.users["leader_b"],
            opinion="同意",
            points=Decimal("90"),
            level=4,
        )
    application.refresh_from_db()
    assert (application.status, application.decided_level, application.steps.count()) == ("forwarded", None, 2)

    assert client_for("leader").post(url, decision(application)).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decided_level) == ("publicity", 4)
    assert application.steps.last().actor == second_county.users["leader"]


def test_a_forwarded_application_tells_only_the_leader_of_the_villages_county(
    second_county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = forwarded(second_county)
    with django_capture_on_commit_callbacks(execute=True):
        second = forwarded(second_county, village=second_county.village_c)

    def inbox(name):
        return list(Notice.objects.filter(user=second_county.users[name]).values_list("link", flat=True))

    assert inbox("leader") == [reverse("stars:application", args=[first.pk])]
    assert inbox("leader_b") == [reverse("stars:application", args=[second.pk])]
    assert all(inbox(name) == [] for name in ("staff", "staff_b", "city_staff", "city_leader", "petition_b"))


def test_an_objection_to_four_stars_is_answered_by_the_villages_county_only(
    second_county, django_capture_on_commit_callbacks
):
    application = decided(second_county, 4, total="90")
    with pytest.raises(PermissionDenied):  # the other county's staff cannot even record it
        star_services.objection_record(
            application=application,
            acting_user=second_county.users["staff_b"],
            received_on=date(2025, 12, 2),
            channel="phone",
            content="异议",
        )
    with django_capture_on_commit_callbacks(execute=True):
        objection = star_services.objection_record(
            application=application,
            acting_user=second_county.users["staff"],
            received_on=date(2025, 12, 2),
            channel="phone",
            content="异议",
        )
    assert Notice.objects.filter(user=second_county.users["leader"]).count() == 1
    assert not Notice.objects.filter(user=second_county.users["leader_b"]).exists()
    with pytest.raises(PermissionDenied):
        star_services.objection_answer(
            objection=objection, acting_user=second_county.users["leader_b"], answer="不属实", upheld=False
        )


# --- Staff act within their county only ----------------------------------------------------------------


@pytest.mark.parametrize("step", ["strip", "nominate", "veto", "plan"])
def test_the_second_countys_staff_change_nothing_of_the_first_countys_stars(second_county, step):
    application = fixed(second_county, 4, total="90")
    staff_b = second_county.users["staff_b"]
    recorded = application.criteria.veto_items.get(rule=StarVetoItem.Rule.RECORDED)
    steps = {
        "strip": lambda: star_services.stars_strip(
            application=application,
            acting_user=staff_b,
            stars_after=2,
            trigger="other",
            reason="x",
            stripped_on=date(2026, 1, 5),
        ),
        "nominate": lambda: star_services.demonstration_nominate(
            application=application, level="city", acting_user=staff_b
        ),
        "veto": lambda: star_services.veto_record(
            application=application, acting_user=staff_b, item=recorded, occurred_on=date(2025, 6, 1), reason="x"
        ),
        "plan": lambda: star_services.improvement_plan_save(
            application=application, acting_user=staff_b, measures="x", responsible_person="x", due_on=date(2026, 6, 1)
        ),
    }
    with pytest.raises(PermissionDenied):
        steps[step]()
    application.refresh_from_db()
    assert (application.current_stars(), application.nominations.count(), application.strips.count()) == (4, 0, 0)


def test_a_county_sees_none_of_the_other_countys_stars(second_county, client_for):
    first = filed(second_county, 2, total="75", village=second_county.village_b)
    second = filed(second_county, 2, total="75", village=second_county.village_c)
    staff_b, staff = client_for("staff_b"), client_for("staff")

    listed_b = staff_b.get(reverse("stars:list") + "?year=2025").content.decode()
    assert SECOND_COUNTY_CANARY in listed_b and CANARY not in listed_b
    listed_a = staff.get(reverse("stars:list") + "?year=2025").content.decode()
    assert CANARY in listed_a and SECOND_COUNTY_CANARY not in listed_a
    assert staff_b.get(reverse("stars:application", args=[first.pk])).status_code == 404
    assert staff.get(reverse("stars:application", args=[second.pk])).status_code == 404
    assert client_for("leader_b").get(reverse("stars:application", args=[first.pk])).status_code == 404


def test_veto_hits_are_listed_and_told_to_the_villages_county_only(second_county, django_capture_on_commit_callbacks):
    hits = []
    for village, staff in [(second_county.village_a, "staff"), (second_county.village_c, "staff_b")]:
        rated = fixed(second_county, 4, total="90", village=village)
        star_services.veto_record(
            application=rated,
            acting_user=second_county.users[staff],
            item=rated.criteria.veto_items.get(rule=StarVetoItem.Rule.RECORDED),
            occurred_on=date(2025, 12, 20),
            reason="违纪",
        )
        hits.append(rated)
    with django_capture_on_commit_callbacks(execute=True):
        assert star_services.veto_hits_find() == 2

    def told(name):
        return list(Notice.objects.filter(user=second_county.users[name]).values_list("text", flat=True))

    assert told("staff") == ["否决事项涉及已定星的石曲村，请摘星或说明理由。"]
    assert told("staff_b") == [f"否决事项涉及已定星的{SECOND_COUNTY_CANARY}，请摘星或说明理由。"]
    hit_a = StarVetoHit.objects.get(application=hits[0])
    with pytest.raises(PermissionDenied):
        star_services.veto_hit_dismiss(hit=hit_a, acting_user=second_county.users["staff_b"], reason="不属实")


# --- The city reads every county and changes nothing ----------------------------------------------------


def test_city_staff_read_both_counties_applications_and_every_post_is_refused(second_county, client_for):
    first = decided(second_county, 4, total="90")
    second = filed(second_county, 2, total="75", village=second_county.village_c)
    city = client_for("city_staff")

    listed = city.get(reverse("stars:list") + "?year=2025")
    assert listed.status_code == 200
    assert [line.application.village.name for line in listed.context["lines"]] == [SECOND_COUNTY_CANARY, "石曲村"]
    assert [county.district.name for county in listed.context["counties"]] == ["黄岩区", "路桥区"]
    for application in (first, second):
        page = city.get(reverse("stars:application", args=[application.pk]))
        assert page.status_code == 200
        assert page.context["forms"] == {}  # nothing offered
    posts = [
        (reverse("stars:action", args=[first.pk, "objection"]), {"received_on": "2025-12-02", "channel": "phone"}),
        (reverse("stars:action", args=[first.pk, "strip"]), {"stars_after": 1, "trigger": "other", "reason": "x"}),
        (reverse("stars:action", args=[second.pk, "decide"]), decision(second)),
        (reverse("stars:plan", args=[first.pk]), {"measures": "x"}),
        (reverse("stars:apply", args=[second_county.village_c.code]), {"level_applied": 1}),
        (reverse("stars:pilot", args=[2025, "331003"]), {"starts_on": "2025-03-01", "whole_county": "on"}),
    ]
    before = [(row.status, row.version) for row in StarApplication.objects.order_by("pk")]
    for url, data in posts:
        assert city.post(url, data).status_code == 403, url
    assert [(row.status, row.version) for row in StarApplication.objects.order_by("pk")] == before
    assert not StarPilotStage.objects.exists()


# --- Criteria per county ---------------------------------------------------------------------------------


def test_a_countys_own_criteria_with_a_higher_four_star_threshold_rate_the_same_points_lower(second_county):
    default = criteria(2025)
    own = criteria_copy_for_county(
        criteria=default, district=second_county.township_c.district, acting_user=second_county.users["sysadmin"]
    )
    own.min_points_4 = Decimal("92")
    own.save()

    assert criteria_applying(second_county.township_a.district_id, 2025) == default
    assert criteria_applying(second_county.township_c.district_id, 2025) == own
    assert (default.level_for(Decimal("90")), own.level_for(Decimal("90"))) == (4, 3)
    assert draft(second_county, 4, "90").criteria == default  # 路桥区: 90 points reach four stars
    with pytest.raises(ValidationError) as refused:
        draft(second_county, 4, "90", village=second_county.village_c)
    assert refused.value.messages == ["90.00分只达到3星，达不到4星（4星需92.00分）。"]
    assert draft(second_county, 3, "90", village=second_county.village_c).criteria == own


def test_a_countys_copy_holds_every_item_and_veto_item_and_is_audited(second_county):
    default = criteria(2025)
    district = second_county.township_c.district
    own = criteria_copy_for_county(criteria=default, district=district, acting_user=second_county.users["sysadmin"])
    assert (own.year, own.district, str(own)) == (2025, district, "黄岩区2025年评星标准")
    kept = COUNTY_CRITERIA_COPY_EXCLUDES
    assert copied_values(own, exclude=kept) == copied_values(default, exclude=kept)  # every other field
    items = StarItem.objects.order_by("code")
    assert list(items.filter(dimension__criteria=own).values_list("code", "max_points")) == list(
        items.filter(dimension__criteria=default).values_list("code", "max_points")
    )
    assert [item.code for item in own.veto_items.all()] == ["FJ1", "FJ2", "FJ3", "FJ4"]
    assert own.history.get().history_user == second_county.users["sysadmin"]
    with pytest.raises(ValidationError, match="黄岩区2025年评星标准已存在。"):
        criteria_copy_for_county(criteria=default, district=district, acting_user=second_county.users["sysadmin"])
    with pytest.raises(ValidationError, match="区县只能复制全市标准"):
        criteria_copy_for_county(
            criteria=own, district=second_county.township_a.district, acting_user=second_county.users["sysadmin"]
        )


def test_a_county_whose_villages_applied_on_the_default_keeps_it(second_county):
    filed(second_county, 2, total="75")
    with pytest.raises(ValidationError) as refused:
        criteria_copy_for_county(
            criteria=criteria(2025),
            district=second_county.township_a.district,
            acting_user=second_county.users["sysadmin"],
        )
    assert refused.value.messages == ["路桥区已有村居按2025年全市标准申报，不能再另定本区县标准。"]
    assert StarCriteria.objects.count() == 1


def test_one_default_and_one_set_per_county_a_year(second_county):
    criteria(2025)
    with pytest.raises(ValidationError) as refused:
        StarCriteria(year=2025).full_clean()
    assert refused.value.messages == ["本年度全市评定标准已存在。"]
    StarCriteria.objects.create(year=2025, district=second_county.township_c.district)
    with pytest.raises(ValidationError) as refused:
        StarCriteria(year=2025, district=second_county.township_c.district).full_clean()
    assert refused.value.messages == ["该区县本年度评定标准已存在。"]


def test_the_citys_list_of_two_counties_takes_as_many_queries_as_a_countys(second_county, client_for):
    for village in (second_county.village_a, second_county.village_c):
        decided(second_county, 2, total="75", village=village)
    stage_of_pilot = {"starts_on": "2025-03-01", "townships": [second_county.township_a.pk]}
    client_for("staff").post(reverse("stars:pilot", args=[2025, "331004"]), stage_of_pilot)
    url = reverse("stars:list") + "?year=2025"
    counts = {}
    for name in ("staff", "city_staff"):
        client = client_for(name)
        client.get(url)  # warms the per-process caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        counts[name] = len(queries)
        assert page.status_code == 200
    assert counts["city_staff"] == counts["staff"] <= 16  # per county: nothing
    assert [county.pilot for county in page.context["counties"]] == [[], [second_county.township_a]]


def test_the_system_administrator_copies_the_city_wide_criteria_for_the_county_chosen_in_the_admin(
    second_county, client_for
):
    source = criteria(2025)
    district = second_county.township_c.district
    changelist = reverse("admin:stars_starcriteria_changelist")
    admin = client_for("sysadmin")
    assert f'<option value="{district.pk}">黄岩区</option>' in admin.get(changelist).content.decode()
    admin.post(changelist, {"action": "copy_for_county", "_selected_action": [source.pk], "district": ""})
    assert StarCriteria.objects.count() == 1  # no county chosen: nothing copied
    admin.post(changelist, {"action": "copy_for_county", "_selected_action": [source.pk], "district": district.pk})
    copy = StarCriteria.objects.get(district=district)
    assert (copy.year, copy.history.get().history_user) == (2025, second_county.users["sysadmin"])
