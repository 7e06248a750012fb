"""Petitions per county (DESIGN.md section 12): a case belongs to the county of the petition office that
registered it. Another county's office, staff and leader get 404 on it (GET and POST) and never its
identity; their lists, due lists, board and figures count none of it; the registration offers the own
county's townships and villages only, a transfer goes to the own county's townships only, a listing to a
leader of the same county. The city's staff and leaders read the figures of every county of their city,
never a case, and change nothing. The time limits, the 五字 classes and the working-day overrides are the
installation's."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from petitions import services
from petitions.models import ListedCase, Petition, PetitionStep
from scoring.models import Indicator, Score

from ..petition_helpers import accepted, concluded, intake, register
from ..scoring_helpers import make_round

CANARY_NAME = "甄路桥信访KQ7X"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def two_counties(second_county):
    """A named case in each county, 路桥区's listed with its leader."""
    cast = second_county
    cast.case_a = register(cast, identity=CANARY_NAME, subject_name="路桥某", received_on=date(2025, 3, 3))
    cast.case_b = register(
        cast,
        identity="黄岩某人",
        subject_name="黄岩某",
        received_on=date(2025, 3, 4),
        township=cast.township_c,
        village=cast.village_c,
        by="petition_b",
    )
    cast.listing_a = services.case_list(
        petition=cast.case_a,
        acting_user=cast.users["staff"],
        leader=cast.users["leader"],
        unit="路桥街道党工委",
        measures="约访",
        deadline=date(2025, 12, 31),
        on=date(2025, 4, 1),
    )
    cast.case_a.refresh_from_db()  # listed: version 2
    return cast


def test_a_case_is_of_the_county_of_the_office_that_registered_it(two_counties):
    assert dict(Petition.objects.values_list("subject_name", "district__name")) == {
        "路桥某": "路桥区",
        "黄岩某": "黄岩区",
    }


@pytest.mark.parametrize("who", ["petition_b", "staff_b", "leader_b"])
def test_the_second_county_gets_404_on_the_first_countys_case_and_its_identity(two_counties, client_for, who):
    cast = two_counties
    client = client_for(who)
    case = cast.case_a
    for url in (
        reverse("petitions:petition", args=[case.pk]),
        reverse("petitions:identity", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404 and CANARY_NAME not in response.content.decode(), url
    version = case.version
    posts = {
        "accept": {"petition_class": "", "disposal": "verify", "on": "2025-03-05"},
        "transfer": {"to_unit": "黄岩区纪委", "to_township": cast.township_c.pk, "on": "2025-03-05"},
        "list": {"leader": cast.users["leader_b"].pk, "unit": "x", "measures": "x", "deadline": "2025-12-31"},
        "extend": {"days": 10, "reason": "x"},
        "archive": {},
    }
    for action, data in posts.items():
        response = client.post(reverse("petitions:action", args=[case.pk, action]), {**data, "version": version})
        assert response.status_code == 404, action
    assert client.post(reverse("petitions:identity", args=[case.pk])).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.version, case.steps.count()) == (Petition.Status.REGISTERED, version, 2)
    assert not AuditEvent.objects.filter(data__what="petitioner identity").exists()


def test_the_second_countys_lists_due_lists_and_figures_count_none_of_the_first_countys_cases(two_counties, client_for):
    cast = two_counties
    office = client_for("petition_b")
    listed = office.get(reverse("petitions:list")).context["page"]
    assert [case.subject_name for case in listed] == ["黄岩某"]
    assert [case.pk for case in office.get(reverse("petitions:list"), {"q": "路桥某"}).context["page"]] == []
    export = office.get(reverse("petitions:list"), {"format": "xlsx"})
    assert "路桥某".encode() not in export.content
    due = office.get(reverse("petitions:due"))
    assert [line.petition.subject_name for line in due.context["due_soon"] + due.context["overdue"]] == ["黄岩某"]
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    figures = office.get(reverse("petitions:figures"), period).context["figures"]
    assert (figures.total.value, figures.listed, [line.label for line in figures.by_township]) == (1, 0, ["东城街道"])
    own = client_for("petition").get(reverse("petitions:figures"), period).context["figures"]
    assert (own.total.value, own.listed) == (1, 1)
    # The first county's leader's board is of the own county; the second's is empty.
    assert list(client_for("leader_b").get(reverse("petitions:board")).context["listings"]) == []
    assert list(client_for("leader").get(reverse("petitions:board")).context["listings"]) == [cast.listing_a]


def test_the_registration_offers_only_the_own_countys_townships_and_villages(two_counties, client_for):
    cast = two_counties
    form = client_for("petition_b").get(reverse("petitions:new")).context["form"]
    assert list(form.fields["township"].queryset) == [cast.township_c]
    assert list(form.fields["village"].queryset) == [cast.village_c]
    villages = client_for("petition_b").get(reverse("petitions:villages"), {"township": cast.township_c.pk}, **HTMX)
    assert villages.status_code == 200 and cast.village_c.name in villages.content.decode()
    everything = client_for("petition_b").get(reverse("petitions:villages"), {"township": ""}, **HTMX)
    assert cast.village_a.name not in everything.content.decode()
    # Another county's township is no township here (as one that does not exist: a bad request).
    foreign = client_for("petition_b").get(reverse("petitions:villages"), {"township": cast.township_a.pk}, **HTMX)
    assert foreign.status_code == 400


def test_a_registration_naming_another_countys_township_or_village_is_404_and_nothing_is_written(
    two_counties, client_for
):
    cast = two_counties
    office = client_for("petition_b")
    cases = Petition.objects.count()
    assert office.post(reverse("petitions:new"), intake(cast)).status_code == 404
    other_village = intake(cast, township=cast.township_c.pk, village=cast.village_a.pk)
    assert office.post(reverse("petitions:new"), other_village).status_code == 404
    # A township that is none at all is the form's error, as it always was.
    nowhere = office.post(reverse("petitions:new"), intake(cast, township=999999, village=""))
    assert nowhere.status_code == 200 and set(nowhere.context["form"].errors) == {"township"}
    assert Petition.objects.count() == cases
    own = office.post(reverse("petitions:new"), intake(cast, township=cast.township_c.pk, village=cast.village_c.pk))
    assert own.status_code == 302
    assert Petition.objects.latest("pk").district.name == "黄岩区"
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        register(cast, by="petition_b")
    assert refused.value.message_dict == {"township": ["路桥街道不是黄岩区的镇街。"]}


def test_a_transfer_to_another_countys_township_is_refused(two_counties, client_for):
    cast = two_counties
    case = cast.case_a
    url = reverse("petitions:action", args=[case.pk, "transfer"])
    data = {"to_unit": "黄岩区纪委", "to_township": cast.township_c.pk, "on": "2025-03-05", "version": case.version}
    assert client_for("petition").post(url, data).status_code == 404
    with pytest.raises(ValidationError) as refused:
        services.petition_transfer(
            petition=case,
            acting_user=cast.users["petition"],
            to_unit="黄岩区纪委",
            to_township=cast.township_c,
            opinion="",
            on=date(2025, 3, 5),
        )
    assert refused.value.message_dict == {"to_township": ["东城街道不是路桥区的镇街。"]}
    case.refresh_from_db()
    assert (case.status, case.transferred_township) == (Petition.Status.REGISTERED, None)
    offered = client_for("petition").get(reverse("petitions:petition", args=[case.pk])).context["forms"]["transfer"]
    assert list(offered.fields["to_township"].queryset) == [cast.township_a, cast.township_b]


def test_a_case_is_listed_only_with_a_leader_of_its_county(two_counties, client_for):
    cast = two_counties
    case = register(cast, received_on=date(2025, 5, 6))
    offered = client_for("staff").get(reverse("petitions:petition", args=[case.pk])).context["forms"]["list"]
    assert list(offered.fields["leader"].queryset) == [cast.users["leader"]]
    with pytest.raises(ValidationError) as refused:
        services.case_list(
            petition=case,
            acting_user=cast.users["staff"],
            leader=cast.users["leader_b"],
            unit="x",
            measures="x",
            deadline=date(2025, 12, 31),
            on=date(2025, 6, 1),
        )
    assert refused.value.messages == ["包案领导须为路桥区纪委领导。"]
    assert not ListedCase.objects.filter(petition=case).exists()


def test_the_second_countys_people_cannot_act_on_the_first_countys_case_through_the_services(two_counties):
    cast = two_counties
    case = accepted(cast, cast.case_a)
    with pytest.raises(PermissionDenied):
        services.identity_read(petition=case, acting_user=cast.users["petition_b"])
    with pytest.raises(PermissionDenied):
        services.petition_start(petition=case, acting_user=cast.users["petition_b"])
    with pytest.raises(PermissionDenied):
        services.extension_approve(petition=case, acting_user=cast.users["leader_b"], days=10, reason="x")
    with pytest.raises(PermissionDenied):
        services.case_strike_off(
            petition=case, acting_user=cast.users["staff_b"], resolution="x", verification="x", on=date(2025, 6, 1)
        )
    assert services.allowed_actions(cast.users["petition_b"], case) == frozenset()
    assert PetitionStep.objects.filter(petition=case).count() == 3  # registered, listed, accepted


def test_the_same_petitioner_in_another_county_is_never_proposed_as_a_repeat(two_counties):
    cast = two_counties
    again = register(
        cast,
        identity=CANARY_NAME,
        received_on=date(2025, 5, 1),
        township=cast.township_c,
        village=cast.village_c,
        subject_name="路桥某",
        by="petition_b",
    )
    assert list(services.repeat_candidates(again)) == [cast.case_b]  # the same village and subject only
    with pytest.raises(ValidationError):
        services.repeat_link(petition=again, earlier=cast.case_a, acting_user=cast.users["petition_b"])


def test_city_staff_see_every_countys_figures_and_none_of_their_cases(two_counties, client_for):
    cast = two_counties
    city = client_for("city_staff")
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    page = city.get(reverse("petitions:figures"), period)
    figures = page.context["figures"]
    assert figures.total.value == 2
    assert [(line.label, line.value) for line in figures.by_county] == [("黄岩区", 1), ("路桥区", 1)]
    assert [line.label for line in figures.by_township] == ["黄岩区 · 东城街道", "路桥区 · 路桥街道"]
    html = page.content.decode()
    assert "按区县" in html and CANARY_NAME not in html and "路桥某" not in html
    one = city.get(reverse("petitions:figures"), {**period, "county": "331003"}).context
    assert (one["county"].name, one["figures"].total.value) == ("黄岩区", 1)
    for url in (
        reverse("petitions:list"),
        reverse("petitions:due"),
        reverse("petitions:petition", args=[cast.case_a.pk]),
        reverse("petitions:identity", args=[cast.case_a.pk]),
        reverse("petitions:new"),
    ):
        assert city.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["city_staff", "city_leader"])
def test_the_city_posts_nothing_on_a_case(two_counties, client_for, who):
    cast = two_counties
    city = client_for(who)
    case = cast.case_a
    for action in ("accept", "list", "strike_off", "extend"):
        response = city.post(reverse("petitions:action", args=[case.pk, action]), {"version": case.version})
        assert response.status_code == 403, action
    assert city.post(reverse("petitions:new"), intake(cast)).status_code == 403
    case.refresh_from_db()
    assert (case.status, case.version, Petition.objects.count()) == (Petition.Status.REGISTERED, 2, 2)


def test_a_secretary_of_the_second_county_sees_its_townships_figures_only(two_counties, client_for):
    from accounts.roles import Role

    from ..factories import UserFactory

    cast = two_counties
    cast.users["secretary_c"] = UserFactory(
        username="secretary_c", role=Role.TOWNSHIP_SECRETARY, township=cast.township_c
    )
    period = {"start": "2025-01-01", "end": "2025-12-31"}
    figures = client_for("secretary_c").get(reverse("petitions:figures"), period).context["figures"]
    assert figures.total.value == 1 and [line.label for line in figures.by_township] == ["东城街道"]


def test_a_case_is_cited_only_into_a_draft_round_of_its_own_county(two_counties, client_for):
    cast = two_counties
    case = concluded(cast, register(cast, received_on=date(2025, 5, 6)))
    own, other = make_round("2025"), make_round("2025", district=cast.township_c.district)
    staff = client_for("staff")
    page = staff.get(reverse("petitions:petition", args=[case.pk]))
    assert list(page.context["forms"]["cite"].fields["round"].queryset) == [own]
    indicator = Indicator.objects.get(scheme=other.period.scheme, code="CW2")
    response = staff.post(
        reverse("petitions:action", args=[case.pk, "cite"]),
        {"round": other.pk, "indicator": indicator.pk, "points": "3"},
    )
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    assert not Score.objects.filter(round=other).exists()
