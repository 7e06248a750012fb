"""Signing in as a 等保 level-3 assessor checks it: lockout, a new session id, timeouts, password age."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.receivers import SESSION_LOGIN_AT, SESSION_SEEN_AT
from audit.models import AuditEvent, EventType

from ..factories import PASSWORD

LOGIN = reverse("accounts:login")


def attempt(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def test_a_right_password_signs_in_with_a_new_session_id(cast):
    client = Client()
    session = client.session
    session["before-login"] = True
    session.save()
    before = session.session_key
    response = attempt(client, "staff", PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert client.session["before-login"] is True  # the data moved to the new id
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN, actor_username="staff").exists()


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(cast):
    client = Client()
    for _ in range(4):
        assert attempt(client, "staff", "wrong-Password-1").status_code == 200
    locked = attempt(client, "staff", "wrong-Password-1")
    assert locked.status_code == 429
    assert "已锁定" in locked.content.decode()
    # Even the right password is refused now, from any address.
    assert attempt(Client(REMOTE_ADDR="10.0.0.9"), "staff", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED, actor_username="staff").count() >= 5
    assert AuditEvent.objects.filter(event_type=EventType.LOCKED_OUT, actor_username="staff").exists()
    # Another account is not affected.
    assert attempt(client, "secretary_a", PASSWORD).status_code == 302


def test_the_lock_lifts_after_thirty_minutes(cast):
    client = Client()
    for _ in range(5):
        attempt(client, "staff", "wrong-Password-1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "staff", PASSWORD).status_code == 302


def test_the_security_admin_can_unlock_an_account_early(cast, client_for):
    for _ in range(5):
        attempt(Client(), "staff", "wrong-Password-1")
    client_for("secadmin").post(reverse("accounts:user_unlock", args=[cast.users["staff"].pk]))
    assert attempt(Client(), "staff", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(event_type=EventType.UNLOCKED, target_repr=str(cast.users["staff"])).exists()


def age_session(client: Client, *, idle: float = 0, since_login: float = 0) -> None:
    session = client.session
    now = time.time()
    session[SESSION_SEEN_AT] = now - idle
    session[SESSION_LOGIN_AT] = now - since_login
    session.save()


@pytest.mark.parametrize(
    ("idle", "since_login", "signed_out"),
    [
        (29 * 60, 60 * 60, False),
        (31 * 60, 60 * 60, True),
        (60, 11.9 * 3600, False),
        (60, 12.1 * 3600, True),
    ],
)
def test_a_session_ends_after_30_idle_minutes_or_12_hours(cast, client_for, idle, since_login, signed_out):
    client = client_for("staff")
    age_session(client, idle=idle, since_login=since_login)
    response = client.get(reverse("workspace"))
    if signed_out:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert client.get(reverse("workspace")).status_code == 302
        assert AuditEvent.objects.filter(event_type=EventType.SESSION_EXPIRED).exists()
    else:
        assert response.status_code == 200


def test_an_expired_password_must_be_changed_before_anything_else(cast, client_for):
    user = cast.users["staff"]
    user.password_changed_at = timezone.now() - timedelta(days=91)
    user.save()
    client = client_for("staff")
    response = client.get(reverse("villages:list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Qingfeng#2026x", "new_password2": "Qingfeng#2026x"},
    )
    assert response.status_code == 302
    assert client.get(reverse("villages:list")).status_code == 200
    assert AuditEvent.objects.filter(event_type=EventType.PASSWORD_CHANGED).exists()


def test_an_account_never_given_its_own_password_must_change_it(cast, client_for):
    user = cast.users["staff"]
    user.password_changed_at = None
    user.save()
    assert client_for("staff").get(reverse("workspace"))["Location"] == reverse("accounts:password_change")


def test_a_password_set_by_the_system_admin_must_be_changed_at_first_sign_in(cast, client_for):
    response = client_for("sysadmin").post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newstaff",
            "usable_password": "true",
            "password1": "Qingfeng#2026x",
            "password2": "Qingfeng#2026x",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = Client()
    assert attempt(client, "newstaff", "Qingfeng#2026x").status_code == 302
    assert client.get(reverse("workspace"))["Location"] == reverse("accounts:password_change")
