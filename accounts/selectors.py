from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from .models import User
from .roles import Role


def users_with_roles() -> QuerySet[User]:
    role_groups = Group.objects.filter(name__in=Role.values)
    return (
        User.objects.select_related("township")
        .prefetch_related(Prefetch("groups", queryset=role_groups, to_attr="role_groups"))
        .order_by("username")
    )
