"""The one access mechanism: role checks for views and unit scoping for every queryset.

A view declares the roles it serves with @role_required; every list, detail, export and download takes
its rows from a selector that passes through scope_to_user(), so that a township secretary never sees
another township's rows, nor county staff another county's (a foreign object is 404, the same as a
missing one).
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .roles import CITY_ROLES, COUNTY_ROLES, VILLAGE_ROLES, Role


def role_required(*roles: Role) -> Callable:
    """Anonymous users go to the login page; signed-in users without one of the roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def may_manage_account(acting_user, account) -> bool:
    """三员分立: an administrator's account is never managed by another administrator (deactivated,
    edited, its password or authenticator reset, its role changed); only break-glass does that
    (manage.py break_glass). A password is changed by its owner, on the password page."""
    return account.pk != acting_user.pk and not account.is_administrator


def public(view: Callable) -> Callable:
    """Marks a page anyone may read; such pages may be cached (others get Cache-Control: no-store)."""
    view.lianjie_public = True
    return view


def district_lookup(township_field: str) -> str:
    """The lookup from a row to its district id, given the one to its township id ("village__township_id"
    → "village__township__district_id"; a township's own "id" → "district_id")."""
    base = township_field.removesuffix("id").removesuffix("_")
    return f"{base}__district_id" if base else "district_id"


def scope_to_user(
    queryset: QuerySet,
    user,
    *,
    roles: Iterable[Role],
    township_field: str | None = None,
    district_field: str | None = None,
    village_field: str | None = None,
) -> QuerySet:
    """The rows of `queryset` the user may see: none unless the user holds one of `roles`; the own
    township's for a secretary, the own county's for county staff, leaders and the petition office, the
    own city's counties' for the city roles, all for the administrators.

    `township_field` is the lookup from the row to its township id; `district_field` the one to its
    district id, for rows that belong to a county rather than a township (a round, an inspection round,
    star criteria): a secretary then sees the rows of the own township's county.

    `village_field` is the lookup from the row to its village id: the village cadres see the rows of their
    own village, and nothing of a selector that gives no such lookup."""
    if not user.is_authenticated or not user.has_role(*roles):
        return queryset.none()
    if user.role in VILLAGE_ROLES:
        return queryset.filter(**{village_field: user.village_id}) if village_field else queryset.none()
    district_field = district_field or (district_lookup(township_field) if township_field else None)
    if user.role == Role.TOWNSHIP_SECRETARY:
        if township_field:
            return queryset.filter(**{township_field: user.township_id})
        return queryset.filter(**{cast(str, district_field): user.county_id})
    if district_field is None:
        return queryset
    if user.role in COUNTY_ROLES:
        return queryset.filter(**{district_field: user.district_id}) if user.district_id else queryset.none()
    if user.role in CITY_ROLES:
        city_field = district_field.removesuffix("_id") + "__city_id"
        return queryset.filter(**{city_field: user.city_id}) if user.city_id else queryset.none()
    return queryset
