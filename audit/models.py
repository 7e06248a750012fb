"""The audit log (审计日志): append-only, each row chained to the previous one by an HMAC-SM3.

Rows are never updated or deleted through the application; on PostgreSQL a trigger refuses UPDATE and
DELETE as well. `verify_audit` recomputes the chain and names the first row that does not fit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "The audit log is append-only."


class EventType(models.TextChoices):
    LOGIN = "login", _("signed in")
    LOGOUT = "logout", _("signed out")
    LOGIN_FAILED = "login_failed", _("failed sign-in")
    LOCKED_OUT = "locked_out", _("account locked")
    UNLOCKED = "unlocked", _("account unlocked")
    SESSION_EXPIRED = "session_expired", _("session expired")
    SECOND_FACTOR_FAILED = "otp_failed", _("wrong one-time code")
    SECOND_FACTOR_ENROLLED = "otp_enrolled", _("authenticator enrolled")
    SECOND_FACTOR_RESET = "otp_reset", _("authenticator reset")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    PASSWORD_RESET = "password_reset", _("password reset")
    BREAK_GLASS = "break_glass", _("break-glass access")
    ROLE_CHANGED = "role_changed", _("role changed")
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DELETED = "deleted", _("deleted")
    IMPORTED = "imported", _("imported")
    EXPORTED = "exported", _("exported")
    DOWNLOADED = "downloaded", _("downloaded")


class AuditEvent(models.Model):  # 审计记录
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # the log outlives users, and a FK update would be refused by the trigger
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    event_type = models.CharField(_("event"), max_length=30, choices=EventType.choices, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} {self.actor_username}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)


class AuditChainHead(models.Model):
    """One row: the last link of the chain. Locking it serialises appends; it also reveals a cut tail."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq}"
