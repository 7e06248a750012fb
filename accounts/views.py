import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from . import services
from .access import may_manage_account, public, role_required
from .forms import OneTimeCodeForm, RoleForm
from .models import User
from .roles import Role
from .selectors import notices_for, users_with_roles


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("workspace")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _login_rate(group, request) -> str:
    return settings.LOGIN_RATE


login_view = public(
    ratelimit(group="sign-in", key="ip", rate=_login_rate, method="POST", block=True)(LoginView.as_view())
)


def sign_in_throttled(request: HttpRequest, exception) -> HttpResponse:
    """Too many sign-in attempts from one address: refused before any password is checked."""
    return render(request, "accounts/sign_in_throttled.html", status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("workspace")

    def form_valid(self, form):
        services.user_password_change(user=form.user, password=form.cleaned_data["new_password1"], request=self.request)
        update_session_auth_hash(self.request, form.user)  # this session stays signed in; the others end
        messages.success(self.request, _("Your password has been changed."))
        return HttpResponseRedirect(self.get_success_url())


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect("accounts:otp_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the code shown now."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    # Enrolment is only for a user with no authenticator yet: a stolen password must not add one.
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = services.second_factor_pending_device(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_enrol(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, _("Your authenticator is set up."))
            return redirect("workspace")
        form.add_error("token", _("The code is wrong or has expired. Try the code shown now."))
    context = {
        "form": form,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/otp_setup.html", context)


@role_required(*Role)
def notice_list(request: HttpRequest) -> HttpResponse:
    """The user's inbox, newest first. Those shown unread are marked read once shown (still marked
    unread on this page, so the user sees which are new)."""
    page = Paginator(notices_for(request.user), 50).get_page(request.GET.get("page"))
    unread = [notice.pk for notice in page if notice.read_at is None]
    if unread:
        services.notices_mark_read(user=request.user, ids=unread)
        request.user.unread_notice_count = None  # the header counts again, after the marking
    return render(request, "accounts/notice_list.html", {"page": page})


@role_required(Role.SECURITY_ADMIN)
def role_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(users_with_roles(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/role_list.html", {"page": page})


@role_required(Role.SECURITY_ADMIN)
def role_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(users_with_roles(), pk=user_id)
    if not may_manage_account(request.user, user):
        raise PermissionDenied
    initial = {
        "role": user.role or "",
        "township": user.township,
        "district": user.district,
        "city": user.city,
        "village": user.village.code if user.village else "",
    }
    form = RoleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_role(
                user=user,
                role=Role(form.cleaned_data["role"]) if form.cleaned_data["role"] else None,
                township=form.cleaned_data["township"],
                district=form.cleaned_data["district"],
                city=form.cleaned_data["city"],
                village=form.cleaned_data["village"],
                acting_user=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role of %(user)s has been saved.") % {"user": user.get_username()})
            return redirect("accounts:role_list")
    return render(request, "accounts/role_edit.html", {"form": form, "subject": user})


@require_POST
@role_required(Role.SECURITY_ADMIN)
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    services.user_unlock(user=user, acting_user=request.user, request=request)
    messages.success(request, _("%(user)s can sign in again.") % {"user": user.get_username()})
    return redirect("accounts:role_list")


@require_POST
@role_required(Role.SECURITY_ADMIN)
def second_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(User, pk=user_id)
    services.second_factor_reset(user=user, acting_user=request.user, request=request)
    messages.success(
        request, _("%(user)s will set up a new authenticator at the next sign-in.") % {"user": user.get_username()}
    )
    return redirect("accounts:role_list")
