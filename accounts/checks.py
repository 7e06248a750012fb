"""A deployment's role settings name real roles: a typo in SECOND_FACTOR_ROLES would silently drop
the second factor of a role."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from .roles import ADMINISTRATOR_ROLES, Role


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


@register()
def administrators_need_a_second_factor(app_configs=None, **kwargs) -> list[Warning]:
    missing = sorted(role for role in ADMINISTRATOR_ROLES if role not in settings.SECOND_FACTOR_ROLES)
    return (
        [
            Warning(
                f"SECOND_FACTOR_ROLES leaves out {', '.join(missing)}: a password alone opens an "
                "administrator's account.",
                hint="Add every administrator role to SECOND_FACTOR_ROLES (the default lists them all).",
                id="accounts.W001",
            )
        ]
        if missing
        else []
    )
