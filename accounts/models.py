from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import DISTRICT_WIDE_ROLES, SECOND_FACTOR_ROLES, Role


class User(AbstractUser):
    """A person who signs in. Holds at most one role (a group); a secretary is bound to one township."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    township = models.ForeignKey(
        "villages.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secretaries",
        help_text=_("Only for township discipline secretaries: the one township they work for."),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @cached_property
    def role(self) -> Role | None:
        """The user's one role; read from `role_groups` when a list prefetched them (users_with_roles)."""
        if hasattr(self, "role_groups"):
            names = [group.name for group in self.role_groups]
        else:
            names = list(self.groups.filter(name__in=Role.values).values_list("name", flat=True))
        return Role(names[0]) if len(names) == 1 else None

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and self.role in roles

    @property
    def sees_every_township(self) -> bool:
        return self.role in DISTRICT_WIDE_ROLES

    @property
    def needs_second_factor(self) -> bool:
        return self.is_superuser or self.role in SECOND_FACTOR_ROLES

    @property
    def password_expired(self) -> bool:
        if self.password_changed_at is None:
            return True
        max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return timezone.now() - self.password_changed_at > max_age
