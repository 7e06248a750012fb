"""Inspections per county (DESIGN.md section 12): a round is its county's, visits its county's villages and
is run by its county's staff; another county's staff and leader get 404 on its round, findings and
evidence and never see them in a list or a figure; a finding's closure is verified by its county's staff
only; the city's staff and leaders read the rounds, the ledger and the figures of every county of the city
and change nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notice
from accounts.roles import Role
from core.spreadsheets import xlsx_bytes
from inspections import importer, services
from inspections.models import Finding, InspectionRound, InspectionTarget
from scoring.models import Indicator, Score

from ..factories import UserFactory
from ..inspection_helpers import category, finding, inspection, pdf
from ..scoring_helpers import make_round

ROUND_A, ROUND_B = "路桥区2025年第一轮巡察", "黄岩区2025年第一轮巡察"


@pytest.fixture
def two_counties(second_county):
    """A round with a finding (with evidence) in each county; 黄岩区's followed by its staff."""
    cast = second_county
    cast.users["secretary_c"] = UserFactory(
        username="secretary_c", role=Role.TOWNSHIP_SECRETARY, township=cast.township_c
    )
    round_a = inspection(cast, villages=[cast.village_a], name=ROUND_A)
    round_b = inspection(cast, villages=[cast.village_c], name=ROUND_B, by="staff_b")
    cast.finding_a = finding(cast, round_a, description="路桥坐收坐支")
    cast.finding_b = finding(cast, round_b, village=cast.village_c, owner="secretary_c", by="staff_b")
    services.progress_record(
        finding=cast.finding_a, acting_user=cast.users["secretary_a"], note="已整改", uploads=[pdf()]
    )
    cast.evidence_a = cast.finding_a.evidence.get()
    return cast


def test_a_round_is_of_its_makers_county(two_counties):
    rounds = dict(InspectionRound.objects.values_list("name", "district__name"))
    assert rounds == {ROUND_A: "路桥区", ROUND_B: "黄岩区"}


@pytest.mark.parametrize("who", ["staff_b", "leader_b"])
def test_the_second_countys_staff_and_leader_get_404_on_the_first_countys_round_finding_and_evidence(
    two_counties, client_for, who
):
    cast = two_counties
    client = client_for(who)
    for url in (
        reverse("inspections:round", args=[cast.finding_a.round_id]),
        reverse("inspections:finding", args=[cast.finding_a.pk]),
        reverse("inspections:evidence", args=[cast.evidence_a.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # Their own county's round and finding open.
    assert client.get(reverse("inspections:round", args=[cast.finding_b.round_id])).status_code == 200
    assert client.get(reverse("inspections:finding", args=[cast.finding_b.pk])).status_code == 200


def test_the_second_countys_staff_cannot_act_on_the_first_countys_round_or_finding(two_counties, client_for):
    cast = two_counties
    staff_b, round_a, item = client_for("staff_b"), cast.finding_a.round, cast.finding_a
    posts = [
        (reverse("inspections:finding_action", args=[item.pk, "progress"]), {"note": "x", "version": item.version}),
        (reverse("inspections:finding_action", args=[item.pk, "submit"]), {"version": item.version}),
        (reverse("inspections:round_record", args=[round_a.pk, "lead"]), {"summary": "x"}),
        (reverse("inspections:candidates", args=[round_a.pk]), {"village": [cast.village_a.code]}),
        (reverse("inspections:import_confirm", args=[round_a.pk]), {"token": "0" * 32}),
    ]
    for url, data in posts:
        assert staff_b.post(url, data).status_code == 404, url
    for url in (reverse("inspections:candidates", args=[round_a.pk]), reverse("inspections:import", args=[round_a.pk])):
        assert staff_b.get(url).status_code == 404, url
    item.refresh_from_db()
    assert (item.status, item.version, item.progress.count()) == (Finding.Status.RECTIFYING, 2, 1)
    # And the services refuse the second county's staff whoever calls them.
    with pytest.raises(PermissionDenied):
        services.lead_record(
            round_=round_a,
            acting_user=cast.users["staff_b"],
            village=cast.village_a,
            summary="x",
            handed_to="y",
            handed_on=date(2025, 4, 1),
        )


def test_the_second_countys_lists_and_figures_show_none_of_the_first_countys_work(two_counties, client_for):
    cast = two_counties
    staff_b = client_for("staff_b")
    rounds = staff_b.get(reverse("inspections:rounds")).content.decode()
    assert ROUND_B in rounds and ROUND_A not in rounds
    ledger = staff_b.get(reverse("inspections:findings")).content.decode()
    assert cast.village_c.name in ledger and "路桥坐收坐支" not in ledger and cast.village_a.name not in ledger
    export = staff_b.get(reverse("inspections:findings"), {"format": "xlsx"})
    assert cast.village_a.code.encode() not in export.content
    figures = staff_b.get(reverse("inspections:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    counted = {figure.key: figure.value for figure in figures.context["figures"]}
    assert (counted["villages"], counted["findings"]) == (1, 1)
    own = client_for("staff").get(reverse("inspections:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert {figure.key: figure.value for figure in own.context["figures"]}["findings"] == 1


def test_a_findings_closure_notice_reaches_only_its_countys_staff(two_counties, django_capture_on_commit_callbacks):
    cast = two_counties
    colleague = UserFactory(username="staff_2", role=Role.COMMISSION_STAFF)  # 路桥区, as the cast's staff
    with django_capture_on_commit_callbacks(execute=True):
        services.closure_submit(finding=cast.finding_a, acting_user=cast.users["secretary_a"])
    told = set(Notice.objects.filter(link=f"/inspections/findings/{cast.finding_a.pk}/").values_list("user__username"))
    assert told == {("staff",), ("staff_2",)}
    assert colleague.district == cast.users["staff"].district != cast.users["staff_b"].district
    # Nor does the second county's staff close it.
    with pytest.raises(PermissionDenied):
        services.finding_close(finding=cast.finding_a, acting_user=cast.users["staff_b"], verification="核查")


def test_a_round_naming_another_countys_village_is_a_form_error_and_nothing_is_written(second_county, client_for):
    cast = second_county
    data = {
        "kind": InspectionRound.Kind.DISTRICT,
        "name": "2026年巡察",
        "team": "第二巡察组",
        "team_leader": "李组长",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-21",
        "village_codes": f"{cast.village_a.code} {cast.village_c.code} 331004999999",
    }
    page = client_for("staff").post(reverse("inspections:rounds"), data)
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "village_codes": ["未知的村居代码：331004999999", f"不是路桥区的村居：{cast.village_c.code}"]
    }
    assert not InspectionRound.objects.exists()
    # Nor does a service add another county's village to a round.
    round_ = inspection(cast, villages=[cast.village_a])
    with pytest.raises(ValidationError) as refused:
        services.round_targets_add(round_=round_, reasons={cast.village_c.pk: ""}, acting_user=cast.users["staff"])
    assert refused.value.messages == [f"不是路桥区的村居：{cast.village_c.code}"]
    assert list(InspectionTarget.objects.values_list("village", flat=True)) == [cast.village_a.pk]


def test_a_finding_of_another_countys_village_or_follower_is_a_form_error(second_county, client_for):
    cast = second_county
    round_ = inspection(cast, villages=[cast.village_a])
    form = client_for("staff").get(reverse("inspections:round", args=[round_.pk])).context["forms"]["finding"]
    assert cast.village_c not in form.fields["village"].queryset
    assert set(form.fields["owner"].queryset) == {
        cast.users["staff"],
        cast.users["secretary_a"],
        cast.users["secretary_b"],
    }
    data = {
        "village": cast.village_c.pk,
        "category": category().pk,
        "description": "村务公开不及时",
        "severity": "minor",
        "owner": cast.users["staff_b"].pk,
        "found_on": "2025-03-05",
        "due_on": "2025-05-05",
    }
    page = client_for("staff").post(reverse("inspections:round_record", args=[round_.pk, "finding"]), data)
    assert page.status_code == 400
    assert set(page.context["forms"]["finding"].errors) == {"village", "owner"}
    assert not Finding.objects.exists()


def test_an_import_row_naming_another_countys_village_is_refused_with_its_row_number(second_county):
    cast = second_county
    category()
    round_ = inspection(cast, villages=[cast.village_a])
    headings = ["村居代码", "问题类别", "问题描述", "跟进人", "整改期限"]
    data = xlsx_bytes(
        headings,
        [
            [cast.village_a.code, "三资管理", "坐收坐支", "secretary_a", "2025-06-30"],
            [cast.village_c.code, "三资管理", "坐收坐支", "secretary_a", "2025-06-30"],
            [cast.village_a.code, "三资管理", "坐收坐支", "staff_b", "2025-06-30"],
        ],
    )
    preview = importer.build_preview(round_, data, "问题清单.xlsx")
    assert [(error.row, error.column, error.message) for error in preview.errors] == [
        (3, "村居代码", f"“{cast.village_c.code}”是黄岩区的村居，不属于本轮巡察所在的区县"),
        (4, "跟进人", "“staff_b”不是路桥区的工作人员或镇街纪委书记"),
    ]
    assert importer.apply_import(round_, data, "问题清单.xlsx", acting_user=cast.users["staff"]).errors
    assert not Finding.objects.exists()
    with pytest.raises(PermissionDenied):  # nor does another county's staff import into the round
        importer.apply_import(round_, data, "问题清单.xlsx", acting_user=cast.users["staff_b"])


def test_revisit_candidates_are_the_rounds_countys_villages(two_counties, client_for):
    cast = two_counties
    for item in (cast.finding_a, cast.finding_b):  # both overdue: 问题突出村 in each county
        Finding.objects.filter(pk=item.pk).update(due_on=date(2025, 3, 5))
    revisit = inspection(cast, kind=InspectionRound.Kind.REVISIT, starts_on=date(2025, 6, 1), by="staff_b")
    page = client_for("staff_b").get(reverse("inspections:candidates", args=[revisit.pk]))
    offered = [candidate.village for _title, group, _why in page.context["groups"] for candidate in group]
    assert offered == [cast.village_c]


def test_city_staff_read_every_countys_rounds_ledger_and_figures_and_no_round_of_its_own(two_counties, client_for):
    cast = two_counties
    city = client_for("city_staff")
    rounds = city.get(reverse("inspections:rounds")).content.decode()
    assert ROUND_A in rounds and ROUND_B in rounds
    assert reverse("inspections:round", args=[cast.finding_a.round_id]) not in rounds  # names, not links
    only_b = city.get(reverse("inspections:rounds"), {"county": "331003"}).content.decode()
    assert ROUND_B in only_b and ROUND_A not in only_b
    ledger = city.get(reverse("inspections:findings")).content.decode()
    assert "路桥区 · 路桥街道" in ledger and "黄岩区 · 东城街道" in ledger
    assert reverse("inspections:finding", args=[cast.finding_a.pk]) not in ledger
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    both = {figure.key: figure.value for figure in city.get(reverse("inspections:figures"), period).context["figures"]}
    assert (both["villages"], both["findings"]) == (2, 2)
    one = city.get(reverse("inspections:figures"), {**period, "county": "331004"}).context
    assert one["county"].name == "路桥区"
    assert {figure.key: figure.value for figure in one["figures"]}["findings"] == 1


@pytest.mark.parametrize("who", ["city_staff", "city_leader"])
def test_the_city_opens_no_round_or_finding_and_changes_nothing(two_counties, client_for, who):
    cast = two_counties
    city = client_for(who)
    assert city.get(reverse("inspections:round", args=[cast.finding_a.round_id])).status_code == 403
    assert city.get(reverse("inspections:finding", args=[cast.finding_a.pk])).status_code == 403
    assert city.get(reverse("inspections:evidence", args=[cast.evidence_a.pk])).status_code == 403
    posts = [
        (reverse("inspections:rounds"), {"name": "市级巡察", "kind": "district"}),
        (reverse("inspections:finding_action", args=[cast.finding_a.pk, "progress"]), {"note": "x"}),
        (reverse("inspections:round_record", args=[cast.finding_a.round_id, "finding"]), {}),
        (reverse("inspections:import", args=[cast.finding_a.round_id]), {"file": SimpleUploadedFile("a.xlsx", b"")}),
    ]
    for url, data in posts:
        assert city.post(url, data).status_code == 403, url
    assert InspectionRound.objects.count() == 2 and Finding.objects.count() == 2


def test_a_finding_is_cited_only_into_a_draft_round_of_its_own_county(two_counties, client_for):
    cast = two_counties
    own, other = make_round("2025"), make_round("2025", district=cast.township_c.district)
    staff = client_for("staff")
    page = staff.get(reverse("inspections:finding", args=[cast.finding_a.pk]))
    assert list(page.context["forms"]["cite"].fields["round"].queryset) == [own]
    indicator = Indicator.objects.get(scheme=other.period.scheme, code="CW5")
    response = staff.post(
        reverse("inspections:finding_action", args=[cast.finding_a.pk, "cite"]),
        {"round": other.pk, "indicator": indicator.pk, "points": "2"},
    )
    assert "选择一个有效的选项" in response.content.decode()
    assert not Score.objects.filter(round=other).exists()
