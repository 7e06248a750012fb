from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .roles import (
    ADMINISTRATOR_ROLES,
    COUNTY_ROLES,
    DISTRICT_WIDE_ROLES,
    UNIT_ROLES,
    VILLAGE_ROLES,
    Role,
    second_factor_roles,
)


class User(AbstractUser):
    """A person who signs in. Holds at most one role (a group) and is bound to the unit it works for: the
    village cadres to a village, a secretary to a township, county staff, leaders and the petition office
    to a county (district), the city roles to a city; the administrators to none."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    village = models.ForeignKey(
        "villages.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cadres",
        help_text=_("Only for the village Party secretary and the head of its supervision committee."),
    )
    township = models.ForeignKey(
        "villages.Township",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="secretaries",
        help_text=_("Only for township discipline secretaries: the one township they work for."),
    )
    district = models.ForeignKey(
        "villages.District",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For county staff, leaders and the petition office: the county (district) they work for."),
    )
    city = models.ForeignKey(
        "villages.City",
        verbose_name=pgettext_lazy("unit", "city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For city staff and leaders: the city whose counties they read."),
    )
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Who set the temporary password the user must change at the next sign-in, and when: the user is
    # told, so that an administrator who signs in as someone else does not go unnoticed.
    password_reset_by = models.ForeignKey(
        "self",
        verbose_name=_("password reset by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    password_reset_at = models.DateTimeField(_("password reset at"), null=True, blank=True)
    # The hash never enters the history (nor the audit log); sign-ins are audited as events of their own.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

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
        """Sees every township of the own county."""
        return self.role in DISTRICT_WIDE_ROLES

    @property
    @admin.display(description=_("Unit"))
    def unit(self):
        """The village, township, county or city the user is bound to; None for the administrators."""
        return self.village or self.township or self.district or self.city

    @property
    def lacks_unit(self) -> bool:
        """Holds a role bound to a unit but no unit: every list is empty until one is bound."""
        return self.role in UNIT_ROLES and self.unit is None

    @cached_property
    def county_id(self) -> int | None:
        """The county (district) whose work the user does: the own for county roles, the township's for a
        secretary, the village's for its cadres; None for the city roles and the administrators."""
        if self.role in COUNTY_ROLES:
            return self.district_id
        if self.role in VILLAGE_ROLES and self.village_id:
            return self.village.township.district_id
        if self.role == Role.TOWNSHIP_SECRETARY and self.township_id:
            return self.township.district_id
        return None

    @property
    def needs_second_factor(self) -> bool:
        return self.is_superuser or self.role in second_factor_roles()

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role in ADMINISTRATOR_ROLES

    @property
    def password_expired(self) -> bool:
        if self.password_changed_at is None:
            return True
        max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return timezone.now() - self.password_changed_at > max_age


class Notice(models.Model):  # 站内提醒: the user's inbox
    """A notice to the person who must act next, opening the object's page. `key` names the occasion
    (a transition, a daily job's finding) so that sending it again never repeats it."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("notice"), max_length=500)
    link = models.CharField(_("link"), max_length=200, help_text=_("The path of the page the notice opens."))
    key = models.CharField(_("key"), max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="accounts_notice_once")]
        # The header's unread count on every page.
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notice_unread")]

    def __str__(self) -> str:
        return self.text
