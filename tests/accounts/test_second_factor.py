"""TOTP is required for the leader, the petition officer and the three administrators."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role, second_factor_roles
from audit.models import AuditEvent, EventType

from ..conftest import CAST_ROLES
from ..factories import PASSWORD, current_code

NEEDS_TOTP = [name for name, role in CAST_ROLES.items() if role in second_factor_roles()]


def test_by_default_every_role_reading_non_public_data_but_the_secretaries_and_village_cadres_needs_a_second_factor():
    # Township secretaries and village cadres work on their phones (the README: SECOND_FACTOR_ROLES).
    assert set(Role) - second_factor_roles() == {
        Role.TOWNSHIP_SECRETARY,
        Role.VILLAGE_SECRETARY,
        Role.VILLAGE_SUPERVISOR,
    }


def test_a_deployment_may_require_the_second_factor_of_secretaries_too(cast, settings):
    settings.SECOND_FACTOR_ROLES = [*settings.SECOND_FACTOR_ROLES, "township_secretary"]
    client = password_only("secretary_a")
    assert client.get(reverse("workspace"))["Location"] == reverse("accounts:otp_verify")
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("accounts:otp_setup")


def test_a_role_setting_naming_no_role_fails_the_checks(settings):
    settings.SECOND_FACTOR_ROLES = ["commission_leader", "township_secretry"]
    with pytest.raises(SystemCheckError, match="township_secretry"):
        call_command("check")


def password_only(name: str) -> Client:
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": name, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("name", NEEDS_TOTP)
def test_a_password_alone_opens_nothing_for_roles_that_need_totp(cast, name):
    client = password_only(name)
    for url in [reverse("workspace"), reverse("villages:list"), reverse("audit:list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:otp_verify")


@pytest.mark.parametrize("name", NEEDS_TOTP)
def test_the_right_code_opens_the_workspace(cast, name):
    client = password_only(name)
    device = TOTPDevice.objects.get(user=cast.users[name])
    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("workspace")).status_code == 200


def test_a_wrong_code_is_refused_and_audited(cast):
    client = password_only("leader")
    response = client.post(reverse("accounts:otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get(reverse("workspace")).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_FAILED, actor_username="leader").exists()


def test_secretaries_sign_in_with_a_password_by_default(cast):
    assert password_only("secretary_a").get(reverse("workspace")).status_code == 200


def test_a_new_leader_enrols_an_authenticator_on_first_sign_in(cast):
    TOTPDevice.objects.filter(user=cast.users["leader"]).delete()
    client = password_only("leader")
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("accounts:otp_setup")
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=cast.users["leader"], confirmed=False)
    assert client.post(reverse("accounts:otp_setup"), {"token": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("workspace")).status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_ENROLLED).exists()


def test_a_stolen_password_cannot_enrol_a_second_authenticator(cast):
    client = password_only("leader")
    assert client.get(reverse("accounts:otp_setup"))["Location"] == reverse("accounts:otp_verify")
    assert TOTPDevice.objects.filter(user=cast.users["leader"]).count() == 1


def test_the_security_admin_resets_a_lost_authenticator(cast, client_for):
    leader = cast.users["leader"]
    response = client_for("secadmin").post(reverse("accounts:otp_reset", args=[leader.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert AuditEvent.objects.filter(event_type=EventType.SECOND_FACTOR_RESET, target_id=str(leader.pk)).exists()
    # The leader enrols a new one at the next sign-in.
    assert password_only("leader").get(reverse("workspace"))["Location"] == reverse("accounts:otp_verify")


def test_leaving_an_administrator_role_out_of_the_second_factor_is_warned(settings):
    settings.SECOND_FACTOR_ROLES = ["commission_staff", "system_admin", "security_admin"]
    with pytest.raises(SystemCheckError, match="audit_admin"):
        call_command("check", fail_level="WARNING")
