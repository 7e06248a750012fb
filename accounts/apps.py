from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import checks, receivers  # noqa: F401  (registers the checks, connects the login receivers)
        from .roles import sync_role_permissions

        # After every app's migrate, not just ours: permissions of later apps exist only then.
        post_migrate.connect(sync_role_permissions, dispatch_uid="lianjie-sync-role-permissions")
