"""The register of grassroots stations (基层站所): the county's staff keep their county's stations (add,
change, make inactive: a station is never deleted), each change in the audit log; a secretary reads the own
township's; another county's staff find none of them (404)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent, EventType
from villages.models import Station, StationKind
from villages.services import station_kinds_ensure
from villages.standard import STATION_KINDS

from ..factories import StationFactory


@pytest.fixture
def kinds(db) -> dict[str, StationKind]:
    station_kinds_ensure()
    return {kind.name: kind for kind in StationKind.objects.all()}


@pytest.fixture
def police(cast, kinds) -> Station:
    station: Station = StationFactory.create(township=cast.township_a, kind=kinds["派出所"], name="路桥街道派出所")
    return station


def test_the_default_kinds_are_created_once_in_their_order(db):
    StationKind.objects.all().delete()  # the migration loaded them; the service restores what is missing
    created = station_kinds_ensure()
    assert [kind.name for kind in created] == list(STATION_KINDS)
    assert station_kinds_ensure() == []
    assert list(StationKind.objects.values_list("name", flat=True)) == list(STATION_KINDS)
    assert AuditEvent.objects.filter(target_type="villages.StationKind", event_type=EventType.CREATED).count() == len(
        STATION_KINDS
    )


def test_staff_register_a_station_of_their_county_and_the_audit_log_has_it(cast, client_for, kinds):
    url = reverse("villages:station_new", args=[cast.township_b.code])
    response = client_for("staff").post(url, {"kind": kinds["市场监管所"].pk, "name": " 路南街道市场监管所 "})
    assert response.status_code == 302
    station = Station.objects.get(township=cast.township_b)
    assert (station.name, station.kind.name, station.active) == ("路南街道市场监管所", "市场监管所", True)
    event = AuditEvent.objects.get(target_type="villages.Station", target_id=str(station.pk))
    assert event.event_type == EventType.CREATED and event.actor == cast.users["staff"]


def test_staff_rename_a_station_and_the_audit_log_has_before_and_after(cast, client_for, kinds, police):
    response = client_for("staff").post(
        reverse("villages:station_edit", args=[police.pk]), {"kind": kinds["派出所"].pk, "name": "路桥派出所"}
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.name == "路桥派出所"
    event = AuditEvent.objects.filter(target_type="villages.Station", target_id=str(police.pk)).order_by("pk").last()
    assert event.event_type == EventType.UPDATED and event.actor == cast.users["staff"]
    assert event.data["changes"]["name"] == {"before": "路桥街道派出所", "after": "路桥派出所"}


def test_a_name_the_township_has_already_is_refused_in_chinese_with_what_was_typed_kept(
    cast, client_for, kinds, police
):
    response = client_for("staff", HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        reverse("villages:station_new", args=[cast.township_a.code]),
        {"kind": kinds["司法所"].pk, "name": "路桥街道派出所"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "路桥街道已有名为“路桥街道派出所”的站所。" in page
    form = response.context["form"]
    assert form.errors["name"] == ["路桥街道已有名为“路桥街道派出所”的站所。"]
    assert (form["name"].value(), str(form["kind"].value())) == ("路桥街道派出所", str(kinds["司法所"].pk))
    assert Station.objects.filter(township=cast.township_a).count() == 1


def test_the_same_name_in_another_township_is_accepted(cast, client_for, kinds, police):
    response = client_for("staff").post(
        reverse("villages:station_new", args=[cast.township_b.code]), {"kind": kinds["派出所"].pk, "name": police.name}
    )
    assert response.status_code == 302
    assert Station.objects.filter(name=police.name).count() == 2


def test_staff_make_a_station_inactive_and_active_again_and_it_is_never_deleted(cast, client_for, police):
    client = client_for("staff")
    url = reverse("villages:station_active", args=[police.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    police.refresh_from_db()
    assert police.active is False
    listed = client.get(reverse("villages:stations"), {"active": "false"}).context["page"]
    assert [station.pk for station in listed] == [police.pk]
    assert client.post(url, {"active": "1"}).status_code == 302
    police.refresh_from_db()
    assert police.active is True
    changes = AuditEvent.objects.filter(
        target_type="villages.Station", target_id=str(police.pk), event_type=EventType.UPDATED
    )
    assert [event.data["changes"]["active"]["after"] for event in changes.order_by("pk")] == [False, True]


def test_the_list_page_offers_the_deactivate_button_to_staff_only(cast, client_for, police):
    button = reverse("villages:station_active", args=[police.pk])
    assert button in client_for("staff").get(reverse("villages:stations")).content.decode()
    page = client_for("secretary_a").get(reverse("villages:stations")).content.decode()
    assert police.name in page and button not in page


@pytest.mark.parametrize("other", ["staff_b", "leader_b"])
def test_another_countys_people_find_no_station_of_this_county(second_county, client_for, kinds, police, other):
    client = client_for(other)
    page = client.get(reverse("villages:stations")).content.decode()
    assert police.name not in page


def test_another_countys_staff_get_404_on_the_form_and_on_every_post(second_county, client_for, kinds, police):
    client = client_for("staff_b")
    edit = reverse("villages:station_edit", args=[police.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"kind": kinds["派出所"].pk, "name": "黄岩改名"}).status_code == 404
    assert client.post(reverse("villages:station_active", args=[police.pk]), {"active": "0"}).status_code == 404
    new = reverse("villages:station_new", args=[second_county.township_a.code])
    assert client.post(new, {"kind": kinds["派出所"].pk, "name": "黄岩派出所"}).status_code == 404
    police.refresh_from_db()
    assert (police.name, police.active, Station.objects.count()) == ("路桥街道派出所", True, 1)


def test_another_countys_staff_keep_their_own_countys_stations(second_county, client_for, kinds):
    new = reverse("villages:station_new", args=[second_county.township_c.code])
    response = client_for("staff_b").post(new, {"kind": kinds["派出所"].pk, "name": "东城街道派出所"})
    assert response.status_code == 302
    assert Station.objects.get().township == second_county.township_c


def test_a_secretary_sees_the_own_townships_stations_and_changes_none(cast, client_for, kinds, police):
    other = StationFactory(township=cast.township_b, kind=kinds["司法所"], name="路南街道司法所")
    client = client_for("secretary_a")
    listed = client.get(reverse("villages:stations")).context["page"]
    assert [station.pk for station in listed] == [police.pk]
    assert client.get(reverse("villages:station_edit", args=[police.pk])).status_code == 403
    assert client.post(reverse("villages:station_edit", args=[police.pk]), {"name": "x"}).status_code == 403
    assert client.post(reverse("villages:station_active", args=[police.pk]), {"active": "0"}).status_code == 403
    new = reverse("villages:station_new", args=[cast.township_a.code])
    assert client.post(new, {"kind": kinds["派出所"].pk, "name": "新站"}).status_code == 403
    assert client_for("secretary_b").get(reverse("villages:stations")).context["page"].object_list[0] == other
    police.refresh_from_db()
    assert (police.name, police.active, Station.objects.count()) == ("路桥街道派出所", True, 2)


def test_the_list_filters_by_township_and_kind_and_counts_each_kind(cast, client_for, kinds, police):
    StationFactory(township=cast.township_a, kind=kinds["司法所"], name="路桥街道司法所")
    StationFactory(township=cast.township_b, kind=kinds["派出所"], name="路南街道派出所")
    client = client_for("staff")
    response = client.get(reverse("villages:stations"), {"township": cast.township_a.pk, "kind": kinds["派出所"].pk})
    assert [station.pk for station in response.context["page"]] == [police.pk]
    # The counts are the township's, whatever kind is chosen.
    assert [(line.name, line.stations) for line in response.context["counts"]] == [("派出所", 1), ("司法所", 1)]
    everything = client.get(reverse("villages:stations")).context["counts"]
    assert [(line.name, line.stations) for line in everything] == [("派出所", 2), ("司法所", 1)]


def test_the_station_list_runs_a_fixed_number_of_queries(cast, client_for, kinds, django_assert_max_num_queries):
    for number in range(40):
        StationFactory(township=cast.township_a, kind=kinds[STATION_KINDS[number % 5]])
    client = client_for("staff")
    with django_assert_max_num_queries(11):
        response = client.get(reverse("villages:stations"))
    assert response.status_code == 200 and len(response.context["page"]) == 40


def test_the_system_administrator_edits_the_kinds_in_the_admin_and_it_is_audited(cast, client_for, kinds):
    police = kinds["派出所"]
    response = client_for("sysadmin").post(
        reverse("admin:villages_stationkind_change", args=[police.pk]), {"name": "公安派出所", "position": 5}
    )
    assert response.status_code == 302
    event = (
        AuditEvent.objects.filter(target_type="villages.StationKind", target_id=str(police.pk)).order_by("pk").last()
    )
    assert event.event_type == EventType.UPDATED and event.actor == cast.users["sysadmin"]
    assert event.data["changes"]["name"] == {"before": "派出所", "after": "公安派出所"}


def test_the_city_demo_gives_each_township_three_stations_named_after_it_once(db):
    from villages.demo import seed_places

    seed_places("city")
    assert Station.objects.count() == 3 * 118
    shaxi = Station.objects.filter(township__name="沙溪镇").order_by("kind__position")
    assert [(station.name, station.kind.name) for station in shaxi] == [
        ("沙溪镇派出所", "派出所"),
        ("沙溪镇自然资源所", "自然资源所"),
        ("沙溪镇市场监管所", "市场监管所"),
    ]
    seed_places("city")
    assert Station.objects.count() == 3 * 118
    assert AuditEvent.objects.filter(target_type="villages.Station", event_type=EventType.IMPORTED).count() == 1
