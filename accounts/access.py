"""The one access mechanism: role checks for views and township scoping for every queryset.

A view declares the roles it serves with @role_required; every list, detail, export and download takes
its rows from a selector that passes through scope_to_user(), so that a township secretary never sees
another township's rows (a foreign object is 404, the same as a missing one).
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from .roles import Role


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


def scope_to_user(queryset: QuerySet, user, *, township_field: str, roles: Iterable[Role]) -> QuerySet:
    """The rows of `queryset` the user may see: none unless the user holds one of `roles`, the own
    township's for a secretary, all for the others. `township_field` is the lookup from the row to its township id."""
    if not user.is_authenticated or not user.has_role(*roles):
        return queryset.none()
    if user.role == Role.TOWNSHIP_SECRETARY:
        return queryset.filter(**{township_field: user.township_id})
    return queryset
