"""What every app's services are written with, so that each means the same everywhere: who may act
(a role, the own township), an audited save (the history row it writes becomes a chained audit row),
and a versioned change (a form filled in against an older version is refused: core.versioning)."""

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.roles import Role

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=models.Model)


def require(allowed: bool) -> None:
    """PermissionDenied unless a service's predicate (`can_<action>(user, …)`) allowed it."""
    if not allowed:
        raise PermissionDenied


def require_role(user: "User", *roles: Role) -> None:
    """PermissionDenied unless the user holds one of `roles`."""
    if not user.has_role(*roles):
        raise PermissionDenied


def is_own_township_secretary(user: "User", township_id: int) -> bool:
    return user.has_role(Role.TOWNSHIP_SECRETARY) and township_id == user.township_id


def require_own_township(user: "User", township_id: int) -> None:
    """PermissionDenied unless the user is the township secretary of `township_id`."""
    if not is_own_township_secretary(user, township_id):
        raise PermissionDenied


def audited_save(instance: M, acting_user: "User | None", *, reason: str = "", clean: bool = True) -> M:
    """Validate and save, with who and why on the history row (and so in the audit chain)."""
    if clean:
        instance.full_clean()
    instance._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    instance.save()
    return instance


def versioned_change(instance: M, acting_user: "User | None", **fields: Any) -> M:
    """Set `fields`, move the record's version on and save it audited."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.version += 1  # type: ignore[attr-defined]  # a versioned record (core.versioning.Versioned)
    return audited_save(instance, acting_user)
