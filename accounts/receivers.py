"""Security events of signing in and out, written to the audit log."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import EventType
from audit.services import record_event

SESSION_LOGIN_AT = "lianjie_login_at"
SESSION_SEEN_AT = "lianjie_seen_at"


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session[SESSION_LOGIN_AT] = now
    request.session[SESSION_SEEN_AT] = now
    record_event(EventType.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(EventType.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    record_event(EventType.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")))


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record_event(EventType.LOCKED_OUT, request=request, username=str(username or ""))
