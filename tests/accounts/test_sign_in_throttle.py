"""Too many sign-in attempts from one address are refused (429, in Chinese) before any password is
checked; other addresses are not affected; with Redis away, signing in still works."""

import uuid

from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, EventType

from ..factories import PASSWORD

LOGIN = reverse("accounts:login")


def test_the_fourth_attempt_in_a_minute_from_one_address_is_refused_unchecked(cast, settings, monkeypatch):
    settings.LOGIN_RATE = "3/m"
    address = f"198.51.100.{uuid.uuid4().int % 250}"  # a fresh count, whichever cache holds the last test's
    checked = []
    real_authenticate = ModelBackend.authenticate

    def counting(self, request, *args, **kwargs):
        checked.append(kwargs.get("username"))
        return real_authenticate(self, request, *args, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    client = Client(REMOTE_ADDR=address)
    statuses = [
        client.post(LOGIN, {"username": f"guess-{n}", "password": "Wrong-password-1"}).status_code for n in range(3)
    ]
    refused = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert statuses == [200, 200, 200] and refused.status_code == 429
    assert "登录尝试过于频繁" in refused.content.decode()
    assert checked == ["guess-0", "guess-1", "guess-2"]  # the refused attempt never reached a hasher
    assert Client(REMOTE_ADDR="192.0.2.77").post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 302
    assert client.get(LOGIN).status_code == 200  # reading the form is not limited


def test_signing_in_works_when_the_shared_cache_is_away(cast, settings, redis_away):
    settings.LOGIN_RATE = "3/m"
    client = Client(REMOTE_ADDR="192.0.2.78")
    assert client.post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 302


def test_behind_a_proxy_each_client_counts_by_the_address_the_proxy_passes_on(cast, settings):
    settings.LOGIN_RATE = "2/m"
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    first, second = (f"203.0.113.{(uuid.uuid4().int % 120) + offset}" for offset in (0, 130))
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    one = Client(**behind_proxy, HTTP_X_REAL_IP=first)
    statuses = [one.post(LOGIN, {"username": "staff", "password": "Wrong-password-1"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    other = Client(**behind_proxy, HTTP_X_REAL_IP=f"198.18.0.9, {second}")  # a list: the proxy's own entry counts
    assert other.post(LOGIN, {"username": "staff", "password": PASSWORD}).status_code == 302
    failures = AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED, actor_username="staff")
    assert set(failures.values_list("ip_address", flat=True)) == {first}
    assert AuditEvent.objects.get(event_type=EventType.LOGIN, actor_username="staff").ip_address == second
