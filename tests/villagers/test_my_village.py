"""A village's Party secretary and supervision committee head open 本村 on a phone: their own village's
published index with its 体检单, its star ratings and its inspection findings; nothing of another village."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_set_role

from .. import inspection_helpers, star_helpers
from ..conftest import CANARY, sign_in
from ..factories import UserFactory
from ..scoring_helpers import published_now

pytestmark = pytest.mark.django_db
URL = reverse("villagers:mine")


@pytest.fixture
def village_work(cast, village_cadres):
    """Village A (91, grade A) and the canary village B (85) published; a 4-star rating decided for A and
    one for B; a finding for each."""
    published_now(cast)
    star_helpers.decided(cast, 4)
    star_helpers.decided(cast, 2, village=cast.village_b)
    inspection_helpers.finding(cast, description="村务公开栏未按期更新")
    inspection_helpers.finding(cast, village=cast.village_b, owner="secretary_b", description="CANARY 问题")
    return cast


@pytest.mark.parametrize("cadre", ["village_a", "supervisor_a"])
def test_a_village_cadre_reads_the_own_villages_index_stars_and_findings(village_work, client_for, cadre):
    response = client_for(cadre).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "石曲村" in page
    overview = response.context["overview"]
    assert overview.village == village_work.village_a
    assert (overview.result.total, overview.result.grade) == (91, "A")
    assert overview.lost == 9
    assert [line.period for line in overview.history] == ["2025"]
    assert [(application.criteria.year, application.stars) for application in overview.applications] == [(2025, 4)]
    assert [finding.description for finding in overview.findings] == ["村务公开栏未按期更新"]
    assert overview.open_findings == 1
    assert "1 项问题尚未整改完毕。" in page
    assert CANARY not in page


def test_the_page_reads_a_fixed_number_of_queries(village_work, client_for, django_assert_max_num_queries):
    client = client_for("village_a")
    with django_assert_max_num_queries(30):
        client.get(URL)


def test_a_cadre_without_a_village_finds_nothing(cast):
    cadre = UserFactory(username="unbound", role=Role.VILLAGE_SECRETARY)
    assert sign_in(Client(), cadre).get(URL).status_code == 404


def test_a_village_role_must_be_bound_to_a_village(cast):
    user = UserFactory(username="new-cadre")
    with pytest.raises(ValidationError) as refused:
        user_set_role(user=user, role=Role.VILLAGE_SUPERVISOR, acting_user=cast.users["secadmin"])
    assert "village" in str(refused.value.message_dict)

    user_set_role(user=user, role=Role.VILLAGE_SUPERVISOR, village=cast.village_a, acting_user=cast.users["secadmin"])
    user.refresh_from_db()
    assert (user.village, user.township, user.county_id) == (cast.village_a, None, cast.township_a.district_id)


def test_the_security_admin_binds_a_cadre_by_the_villages_code(cast, client_for):
    user = UserFactory(username="new-cadre")
    url = reverse("accounts:role_edit", args=[user.pk])
    client = client_for("secadmin")

    refused = client.post(url, {"role": Role.VILLAGE_SECRETARY, "village": "331004009999"})
    assert refused.status_code == 200
    assert "331004009999" in refused.content.decode()  # the typed code is kept, with the error
    assert refused.context["form"].errors["village"]

    client.post(url, {"role": Role.VILLAGE_SECRETARY, "village": cast.village_a.code})
    user.refresh_from_db()
    assert user.village == cast.village_a and user.role == Role.VILLAGE_SECRETARY
