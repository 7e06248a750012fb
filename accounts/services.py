"""Writes on accounts: passwords (every change and reset audited), role grants (三员分立: only the
security administrator), second factors and the users' in-app notices."""

import secrets
from collections.abc import Iterable, Mapping
from typing import cast

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import EventType
from audit.services import record_event
from villages.models import City, District, Township, Village

from .access import may_manage_account
from .models import Notice, User
from .roles import ADMIN_SITE_ROLES, CITY_ROLES, COUNTY_ROLES, VILLAGE_ROLES, Role, second_factor_roles


def _require_may_manage(acting_user: User, user: User, role: Role) -> None:
    if not acting_user.has_role(role) or not may_manage_account(acting_user, user):
        raise PermissionDenied


# --- Passwords ------------------------------------------------------------------------------------------

PASSWORD_RESET_NOTICE = gettext_lazy(
    "%(admin)s set a temporary password for your account on %(when)s. If you did not ask for it, tell the "
    "security administrator."
)


def user_password_change(*, user: User, password: str, request: HttpRequest) -> None:
    """The user's own new password (the form checked the old one). Ends a reset's temporary password."""
    with transaction.atomic():
        user.set_password(password)
        user.password_reset_by = None
        user.password_reset_at = None
        user.save(update_fields=["password", "password_changed_at", "password_reset_by", "password_reset_at"])
        record_event(EventType.PASSWORD_CHANGED, actor=user, request=request, target=user)


def user_password_reset(*, user: User, password: str, acting_user: User, request: HttpRequest | None = None) -> None:
    """A temporary password set by the system administrator: its owner must replace it at the next
    sign-in and is told then who set it and when. Never on another administrator's account."""
    _require_may_manage(acting_user, user, Role.SYSTEM_ADMIN)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = None  # expired at once: the owner chooses the password that stays
        user.password_reset_by = acting_user
        user.password_reset_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at", "password_reset_by", "password_reset_at"])
        record_event(EventType.PASSWORD_RESET, actor=acting_user, request=request, target=user)
        # Kept in the owner's inbox, read or not: whoever used the temporary password, the owner sees it.
        when = date_format(localtime(user.password_reset_at), "DATETIME_FORMAT")
        text = notice_text(PASSWORD_RESET_NOTICE, admin=acting_user, when=when)
        notices_send(
            users=[user],
            text=text,
            link=reverse("accounts:password_change"),
            key=f"password-reset-{user.password_reset_at.isoformat()}",
        )


@transaction.atomic
def break_glass(
    *, user: User, reason: str, operator: str, remove_role: bool = False, reset_authenticator: bool = False
) -> str | None:
    """What no administrator may do to another (三员分立), done by whoever holds the server (manage.py
    break_glass; `operator` is their login there) with a reason, audited. Either take the account's role
    away (someone left), or reactivate it with a temporary password, returned once, to be changed at the
    next sign-in, and with `reset_authenticator` its authenticators removed (a lost phone)."""
    data: dict[str, object] = {"reason": reason}
    password = None
    if remove_role:
        data["removed_role"] = user.role
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    else:
        password = secrets.token_urlsafe(12) + "-Aa1"  # meets every password rule
        user.is_active = True
        user.set_password(password)
        user.password_changed_at = None
        user.password_reset_by = None
        user.password_reset_at = timezone.now()
        fields = ["is_active", "password", "password_changed_at", "password_reset_by", "password_reset_at"]
        user.save(update_fields=fields)
        axes_reset(username=user.get_username())
        if reset_authenticator:
            data["authenticators_removed"] = TOTPDevice.objects.filter(user=user).delete()[0]
    record_event(EventType.BREAK_GLASS, target=user, username=f"server:{operator}"[:150], data=data)
    return password


# --- Roles and second factors ---------------------------------------------------------------------------

UNIT_REQUIRED = {
    "village": gettext_lazy("A village Party secretary or supervision committee head must be bound to a village."),
    "township": gettext_lazy("A township secretary must be bound to a township."),
    "district": gettext_lazy("County staff, leaders and the petition office must be bound to a county."),
    "city": gettext_lazy("City staff and leaders must be bound to a city."),
}


def bound_unit(
    role: Role | None,
    *,
    township: Township | None,
    district: District | None,
    city: City | None,
    village: Village | None = None,
) -> tuple[Township | None, District | None, City | None, Village | None]:
    """The one unit `role` is bound to, the others emptied; a ValidationError on the field of a missing one."""
    township = township if role == Role.TOWNSHIP_SECRETARY else None
    district = district if role in COUNTY_ROLES else None
    city = city if role in CITY_ROLES else None
    village = village if role in VILLAGE_ROLES else None
    missing = [
        field
        for field, roles, unit in [
            ("village", VILLAGE_ROLES, village),
            ("township", {Role.TOWNSHIP_SECRETARY}, township),
            ("district", COUNTY_ROLES, district),
            ("city", CITY_ROLES, city),
        ]
        if role in roles and unit is None
    ]
    if missing:
        raise ValidationError({missing[0]: UNIT_REQUIRED[missing[0]]})
    return township, district, city, village


def unit_codes(
    role: Role | None,
    township: Township | None,
    district: District | None,
    city: City | None,
    village: Village | None = None,
) -> dict[str, str | None]:
    """A role and its unit as the audit log keeps them: the unit's code, never a name."""
    units = {"village": village, "township": township, "district": district, "city": city}
    return {"role": role, **{kind: unit.code for kind, unit in units.items() if unit is not None}}


def user_set_role(
    *,
    user: User,
    role: Role | None,
    township: Township | None = None,
    district: District | None = None,
    city: City | None = None,
    village: Village | None = None,
    acting_user: User,
    request: HttpRequest | None = None,
) -> User:
    """Give `user` exactly one role (or none) and bind it to its unit: the village cadres to a village, a
    secretary to a township, county staff, leaders and the petition office to a county, the city roles to
    a city; nobody else has one."""
    if acting_user.has_role(Role.SECURITY_ADMIN) and user.pk == acting_user.pk:
        raise ValidationError(_("You cannot change your own role."))
    _require_may_manage(acting_user, user, Role.SECURITY_ADMIN)
    if role in second_factor_roles() and user.password_reset_by_id:
        # Whoever set the temporary password could sign in first and enrol their own authenticator.
        raise ValidationError(
            _(
                "%(user)s still has the temporary password set by %(admin)s: grant this role once they have "
                "chosen their own."
            )
            % {"user": user.get_username(), "admin": user.password_reset_by}
        )
    township, district, city, village = bound_unit(
        role, township=township, district=district, city=city, village=village
    )
    before = unit_codes(user.role, user.township, user.district, user.city, user.village)
    with transaction.atomic():
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        user.township, user.district, user.city, user.village = township, district, city, village
        user.is_staff = role in ADMIN_SITE_ROLES
        user.save(update_fields=["township", "district", "city", "village", "is_staff"])
        user.__dict__.pop("role", None)
        user.__dict__.pop("county_id", None)
        record_event(
            EventType.ROLE_CHANGED,
            actor=acting_user,
            request=request,
            target=user,
            data={"before": before, "after": unit_codes(role, township, district, city, village)},
        )
    return user


def user_unlock(*, user: User, acting_user: User, request: HttpRequest | None = None) -> None:
    """Lift a lockout (django-axes) before its 30 minutes are over; never another administrator's, whose
    lock is what stops a colleague guessing their password."""
    _require_may_manage(acting_user, user, Role.SECURITY_ADMIN)
    axes_reset(username=user.get_username())
    record_event(EventType.UNLOCKED, actor=acting_user, request=request, target=user)


def second_factor_reset(*, user: User, acting_user: User, request: HttpRequest | None = None) -> int:
    """Remove a user's authenticators (a lost phone); they enrol a new one at their next sign-in."""
    _require_may_manage(acting_user, user, Role.SECURITY_ADMIN)
    with transaction.atomic():
        removed: int
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        record_event(EventType.SECOND_FACTOR_RESET, actor=acting_user, request=request, target=user)
    return removed


def second_factor_verify(*, request: HttpRequest, token: str) -> bool:
    """Check a TOTP code against the user's confirmed devices; django-otp throttles repeated failures."""
    user = cast(User, request.user)  # the view requires sign-in (login_required)
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            _second_factor_login(request, device)
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
    _second_factor_login(request, device)
    return True


def _second_factor_login(request: HttpRequest, device: TOTPDevice) -> None:
    """A new session id once the second factor is verified, as at the password step (Django's login):
    an id seen before the code (a fixated or leaked cookie) never carries the verified session."""
    request.session.cycle_key()
    otp_login(request, device)


# --- In-app notices (站内提醒) ---------------------------------------------------------------------------


def notice_text(message: str | Promise, **params: object) -> str:
    """A notice's text in the site's language (Chinese): it is stored and read by others, whatever the
    language of the acting user's screen. `message` is a gettext_lazy constant with %(name)s params."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params


@transaction.atomic
def notices_send(*, users: Iterable[User], text: str, link: str, key: str) -> int:
    """One notice per user for the occasion `key`: a user who has it already gets no other (a daily job
    run again, a callback run twice). `link` is the path of the page it opens. Returns how many were sent."""
    wanted = {user.pk for user in users}
    already = set(Notice.objects.filter(key=key, user_id__in=wanted).values_list("user_id", flat=True))
    text = Truncator(text).chars(cast(int, Notice._meta.get_field("text").max_length))  # a CharField's
    new = [Notice(user_id=pk, text=text, link=link, key=key) for pk in sorted(wanted - already)]
    Notice.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent send of the same key
    return len(new)


def notices_send_on_commit(
    *,
    users: QuerySet[User],
    message: str | Promise,
    params: Mapping[str, object],
    link: str,
    key: str,
    acting_user: User | None,
) -> None:
    """The notice of a transition to the people who must act next, once the caller's transaction has
    committed (a refused or rolled-back step notifies nobody). Never to the one who acted: they know."""
    text = notice_text(message, **params)
    others = users.exclude(pk=acting_user.pk) if acting_user else users
    transaction.on_commit(lambda: notices_send(users=others, text=text, link=link, key=key))


def notices_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices read (only those of `ids` when given); another's are never touched."""
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
