"""Every state-changing request needs the CSRF token, and no GET changes anything."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from villages.models import Township, Village

from ..conftest import sign_in
from ..lianjie.test_authorization_matrix import all_url_names, sample_url


def test_no_view_is_exempt_from_csrf():
    exempt = [name for name, pattern in all_url_names() if getattr(pattern.callback, "csrf_exempt", False)]
    assert exempt == []


@pytest.mark.parametrize(
    ("who", "url_name", "kwargs"),
    [
        ("anonymous", "accounts:login", {}),
        ("staff", "accounts:logout", {}),
        ("staff", "accounts:password_change", {}),
        ("leader", "accounts:otp_verify", {}),
        ("staff", "accounts:otp_setup", {}),
        ("secadmin", "accounts:role_edit", {"user_id": "staff"}),
        ("secadmin", "accounts:user_unlock", {"user_id": "staff"}),
        ("secadmin", "accounts:otp_reset", {"user_id": "leader"}),
        ("staff", "set_language", {}),
        ("sysadmin", "admin:villages_village_add", {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(cast, who, url_name, kwargs):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    if who != "anonymous":
        sign_in(client, cast.users[who])
    kwargs = {key: cast.users[value].pk for key, value in kwargs.items()}
    response = client.post(reverse(url_name, kwargs=kwargs), {"username": "staff", "role": "commission_leader"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()
    assert not cast.users["staff"].groups.filter(name="commission_leader").exists()


def state_snapshot() -> dict:
    return {
        "villages": list(Village.objects.order_by("code").values_list("code", "name", "active", "merged_into")),
        "townships": list(Township.objects.order_by("code").values_list("code", "name")),
        "users": list(
            User.objects.order_by("username").values_list("username", "is_active", "township", "is_staff", "password")
        ),
        "roles": list(Group.objects.values_list("name", "user__username").order_by("name", "user__username")),
    }


@pytest.mark.parametrize("who", ["secadmin", "sysadmin", "staff", "secretary_a", "auditor"])
def test_no_get_changes_state(cast, client_for, who):
    before = state_snapshot()
    client = client_for(who)
    for name, pattern in all_url_names():
        if "<" not in name:
            client.get(sample_url(cast, name, pattern))
    assert state_snapshot() == before
