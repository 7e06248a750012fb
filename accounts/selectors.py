from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from .models import Notice, User
from .roles import Role


def users_with_roles() -> QuerySet[User]:
    role_groups = Group.objects.filter(name__in=Role.values)
    return (
        User.objects.select_related("village", "township", "district", "city")
        .prefetch_related(Prefetch("groups", queryset=role_groups, to_attr="role_groups"))
        .order_by("username")
    )


def users_with_role(*roles: Role, township_id: int | None = None, district_id: int | None = None) -> QuerySet[User]:
    """The active users holding one of `roles`, of one township or one county when given: who must act
    next (a county's staff and leaders are told of their own county's work only)."""
    users = User.objects.filter(is_active=True, groups__name__in=roles)
    if township_id is not None:
        users = users.filter(township_id=township_id)
    if district_id is not None:
        users = users.filter(district_id=district_id)
    return users


def notices_for(user: User) -> QuerySet[Notice]:
    """The user's own notices, newest first; nobody sees another's."""
    return Notice.objects.filter(user=user)


def notices_unread_count(user: User) -> int:
    """Read with the user by the sign-in backend (accounts.backends); counted here otherwise."""
    counted = getattr(user, "unread_notice_count", None)
    return counted if counted is not None else Notice.objects.filter(user=user, read_at__isnull=True).count()
