"""三员分立: only the security administrator grants roles; a secretary is bound to one township."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_set_role
from audit.models import AuditEvent, EventType

from ..factories import UserFactory


def test_the_security_admin_grants_a_secretary_role_with_a_township(cast, client_for):
    newcomer = UserFactory(username="newcomer")
    response = client_for("secadmin").post(
        reverse("accounts:role_edit", args=[newcomer.pk]),
        {"role": Role.TOWNSHIP_SECRETARY, "township": cast.township_b.pk},
    )
    assert response.status_code == 302
    newcomer = User.objects.get(pk=newcomer.pk)
    assert newcomer.role == Role.TOWNSHIP_SECRETARY and newcomer.township == cast.township_b
    event = AuditEvent.objects.get(event_type=EventType.ROLE_CHANGED)
    assert event.actor_username == "secadmin"
    assert event.data["after"] == {"role": "township_secretary", "township": cast.township_b.code}


def test_a_secretary_without_a_township_is_refused_and_the_form_keeps_the_choice(cast, client_for):
    newcomer = UserFactory(username="newcomer")
    response = client_for("secadmin").post(
        reverse("accounts:role_edit", args=[newcomer.pk]), {"role": Role.TOWNSHIP_SECRETARY}
    )
    assert response.status_code == 200
    assert "镇街" in str(response.context["form"].errors["township"])
    assert response.context["form"]["role"].value() == Role.TOWNSHIP_SECRETARY
    assert User.objects.get(pk=newcomer.pk).role is None


def test_a_new_role_replaces_the_old_one(cast):
    staff = cast.users["staff"]
    user_set_role(user=staff, role=Role.COMMISSION_LEADER, district=staff.district, acting_user=cast.users["secadmin"])
    assert list(User.objects.get(pk=staff.pk).groups.values_list("name", flat=True)) == ["commission_leader"]


@pytest.mark.parametrize(
    ("role", "field", "message"),
    [
        (Role.COMMISSION_STAFF, "district", "区县纪委工作人员、领导和信访室必须绑定一个区县。"),
        (Role.PETITION_OFFICER, "district", "区县纪委工作人员、领导和信访室必须绑定一个区县。"),
        (Role.CITY_LEADER, "city", "市纪委工作人员和领导必须绑定一个市。"),
    ],
)
def test_county_and_city_roles_are_refused_without_their_unit_and_the_form_keeps_the_choice(
    cast, client_for, role, field, message
):
    newcomer = UserFactory(username="newcomer")
    # A township given to a county role does not bind it: the county is still missing.
    data = {"role": role, "township": cast.township_a.pk}
    response = client_for("secadmin").post(reverse("accounts:role_edit", args=[newcomer.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert response.context["form"]["role"].value() == role
    assert User.objects.get(pk=newcomer.pk).role is None


def test_a_county_role_is_bound_to_its_county_alone_and_the_audit_keeps_its_code(cast, client_for):
    newcomer = UserFactory(username="newcomer")
    district = cast.township_a.district
    data = {"role": Role.COMMISSION_STAFF, "district": district.pk, "township": cast.township_a.pk}
    assert client_for("secadmin").post(reverse("accounts:role_edit", args=[newcomer.pk]), data).status_code == 302
    newcomer = User.objects.get(pk=newcomer.pk)
    assert (newcomer.district, newcomer.township, newcomer.county_id) == (district, None, district.pk)
    event = AuditEvent.objects.get(event_type=EventType.ROLE_CHANGED)
    assert event.data["after"] == {"role": "commission_staff", "district": "331004"}


@pytest.mark.parametrize("who", ["sysadmin", "auditor", "leader", "staff"])
def test_no_one_else_can_grant_roles(cast, who):
    with pytest.raises(PermissionDenied):
        user_set_role(user=cast.users["staff"], role=Role.SECURITY_ADMIN, township=None, acting_user=cast.users[who])


def test_the_security_admin_cannot_change_their_own_role(cast):
    with pytest.raises(ValidationError, match="不能修改自己的角色。"):
        user_set_role(
            user=cast.users["secadmin"], role=Role.SYSTEM_ADMIN, township=None, acting_user=cast.users["secadmin"]
        )


def test_the_system_admin_role_opens_the_admin_and_only_break_glass_takes_it_away(cast, capsys):
    staff = cast.users["staff"]
    user_set_role(user=staff, role=Role.SYSTEM_ADMIN, township=None, acting_user=cast.users["secadmin"])
    assert User.objects.get(pk=staff.pk).is_staff
    with pytest.raises(PermissionDenied):  # 三员分立: now an administrator, out of the others' reach
        user_set_role(user=staff, role=Role.COMMISSION_STAFF, township=None, acting_user=cast.users["secadmin"])
    call_command("break_glass", "staff", "--remove-role", reason="调岗")
    staff = User.objects.get(pk=staff.pk)
    assert staff.role is None and not staff.is_staff
    event = AuditEvent.objects.get(event_type=EventType.BREAK_GLASS)
    assert event.data == {"reason": "调岗", "removed_role": "system_admin"}


def test_the_role_list_shows_every_user_in_few_queries(cast, client_for, django_assert_max_num_queries):
    UserFactory.create_batch(20, role=Role.COMMISSION_STAFF)
    client = client_for("secadmin")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("accounts:role_list"))
    assert "区纪委工作人员" in page.content.decode()
