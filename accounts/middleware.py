"""Session rules of 等保 level 3: idle and absolute timeouts, the second factor, password age."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from audit.models import EventType
from audit.services import record_event

from .receivers import SESSION_LOGIN_AT, SESSION_SEEN_AT

# Refresh the "last seen" stamp at most this often, so that a page view rarely writes the session.
SEEN_AT_RESOLUTION = 60


class SessionLifetimeMiddleware:
    """Signs a user out after 30 idle minutes or 12 hours in all (settings SESSION_*_TIMEOUT)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.setdefault(SESSION_LOGIN_AT, now)
            seen_at = request.session.setdefault(SESSION_SEEN_AT, now)
            idle = now - seen_at > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_old = now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_old:
                user = request.user
                logout(request)
                record_event(EventType.SESSION_EXPIRED, actor=user, request=request, data={"idle": idle})
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect_to_login(request.get_full_path())
            if now - seen_at > SEEN_AT_RESOLUTION:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)


class _GateMiddleware:
    """Lets a signed-in user reach only a few pages until a condition is met."""

    allowed_url_names: tuple[str, ...] = ()

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self.blocks(request):
            allowed = {reverse(name) for name in self.allowed_url_names}
            allowed |= {reverse("accounts:logout"), reverse("set_language")}
            if request.path not in allowed:
                return self.redirect(request)
        return self.get_response(request)

    def blocks(self, request: HttpRequest) -> bool:
        raise NotImplementedError

    def redirect(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


class SecondFactorMiddleware(_GateMiddleware):
    allowed_url_names = ("accounts:otp_verify", "accounts:otp_setup")

    def blocks(self, request: HttpRequest) -> bool:
        return request.user.needs_second_factor and not request.user.is_verified()

    def redirect(self, request: HttpRequest) -> HttpResponse:
        return redirect("accounts:otp_verify")


class PasswordAgeMiddleware(_GateMiddleware):
    allowed_url_names = ("accounts:password_change",)

    def blocks(self, request: HttpRequest) -> bool:
        # After the second factor, whose pages come first: the password is changed by its verified owner.
        user = request.user
        return user.password_expired and (user.is_verified() or not user.needs_second_factor)

    def redirect(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.password_reset_by_id:
            when = date_format(localtime(user.password_reset_at), "DATETIME_FORMAT")
            messages.warning(
                request,
                _(
                    "Your password was set by %(admin)s on %(when)s. Choose your own password now; if you did "
                    "not ask for this, tell the security administrator."
                )
                % {"admin": user.password_reset_by, "when": when},
            )
        else:
            messages.warning(request, _("Your password has expired. Please choose a new one."))
        return redirect("accounts:password_change")
