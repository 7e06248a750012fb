"""A deployment's role settings name real roles: a typo in SECOND_FACTOR_ROLES would silently drop
the second factor of a role."""

from django.conf import settings
from django.core.checks import Error, register

from .roles import Role


@register()
def second_factor_roles_are_roles(app_configs=None, **kwargs) -> list[Error]:
    unknown = [name for name in settings.SECOND_FACTOR_ROLES if name not in Role.values]
    return (
        [
            Error(
                f"SECOND_FACTOR_ROLES names {', '.join(unknown)}, which are not roles.",
                hint=f"Roles: {', '.join(Role.values)}.",
                id="accounts.E001",
            )
        ]
        if unknown
        else []
    )
