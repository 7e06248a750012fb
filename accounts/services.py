"""Writes on accounts: role grants (三员分立: only the security administrator) and second factors."""

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import EventType
from audit.services import record_event
from villages.models import Township

from .models import User
from .roles import ADMIN_SITE_ROLES, Role


def user_set_role(
    *, user: User, role: Role | None, township: Township | None, acting_user: User, request: HttpRequest | None = None
) -> User:
    """Give `user` exactly one role (or none). A secretary needs a township; nobody else has one."""
    if not acting_user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied
    if user.pk == acting_user.pk:
        raise ValidationError(_("You cannot change your own role."))
    if role == Role.TOWNSHIP_SECRETARY and township is None:
        raise ValidationError({"township": _("A township secretary must be bound to a township.")})
    if role != Role.TOWNSHIP_SECRETARY:
        township = None
    before = {"role": user.role, "township": user.township.code if user.township else None}
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        user.township = township
        user.is_staff = role in ADMIN_SITE_ROLES
        user.save(update_fields=["township", "is_staff"])
        user.__dict__.pop("role", None)
        record_event(
            EventType.ROLE_CHANGED,
            actor=acting_user,
            request=request,
            target=user,
            data={"before": before, "after": {"role": role, "township": township.code if township else None}},
        )
    return user


def user_unlock(*, user: User, acting_user: User, request: HttpRequest | None = None) -> None:
    """Lift a lockout (django-axes) before its 30 minutes are over."""
    if not acting_user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied
    axes_reset(username=user.get_username())
    record_event(EventType.UNLOCKED, actor=acting_user, request=request, target=user)


def second_factor_reset(*, user: User, acting_user: User, request: HttpRequest | None = None) -> int:
    """Remove a user's authenticators (a lost phone); they enrol a new one at their next sign-in."""
    if not acting_user.has_role(Role.SECURITY_ADMIN):
        raise PermissionDenied
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        record_event(EventType.SECOND_FACTOR_RESET, actor=acting_user, request=request, target=user)
    return removed


def second_factor_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a TOTP code against the user's confirmed devices; django-otp throttles repeated failures."""
    user = request.user
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            otp_login(request, device)
            return True
    record_event(EventType.SECOND_FACTOR_FAILED, request=request, actor=user)
    return False


def second_factor_pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling, created on the first visit to the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


def second_factor_enrol(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        record_event(EventType.SECOND_FACTOR_FAILED, request=request)
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(EventType.SECOND_FACTOR_ENROLLED, request=request, target=device.user)
    otp_login(request, device)
    return True
