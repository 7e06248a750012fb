"""Every change that django-simple-history records also becomes a chained audit row with before and
after, so the audit log covers the admin, the services and the importers alike.

Values come from the historical record, not the live object: a field a model keeps out of its history
(a password hash, an encrypted identity) stays out of the audit log too."""

from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .models import EventType
from .services import record_event

HISTORY_EVENTS = {"+": EventType.CREATED, "~": EventType.UPDATED, "-": EventType.DELETED}
# What stands in the audit log for the value of a confidential field: that it was set or changed, by whom
# and when, is recorded; the value never is (the log is append-only: it could never be erased).
CONFIDENTIAL = "〔保密〕"


def confidential_fields(model) -> frozenset[str]:
    """The fields whose values a model keeps out of the audit log (`AUDIT_CONFIDENTIAL`), by name and by
    attname (a history diff names fields, a history row's columns are attnames)."""
    fields = [model._meta.get_field(name) for name in getattr(model, "AUDIT_CONFIDENTIAL", ())]
    return frozenset(name for field in fields for name in (field.name, field.attname))


def _plain(value, attname: str, confidential: frozenset[str]):
    """A stored file is recorded by its name (its content is evidence kept apart, with its hash)."""
    if attname in confidential:
        return CONFIDENTIAL if value not in (None, "") else value
    return value.name if isinstance(value, FieldFile) else value


def tracked_values(history_instance, confidential: frozenset[str]) -> dict:
    """The values of the fields the history tracks (its own bookkeeping columns left out)."""
    return {
        field.attname: _plain(getattr(history_instance, field.attname), field.attname, confidential)
        for field in history_instance._meta.concrete_fields
        if not field.name.startswith("history_")
    }


@receiver(post_create_historical_record)
def audit_history_record(sender, instance, history_instance, **kwargs) -> None:
    kind = history_instance.history_type
    hidden = confidential_fields(type(instance))
    if kind == "~" and history_instance.prev_record is not None:
        delta = history_instance.diff_against(history_instance.prev_record)
        if not delta.changes and not history_instance.history_change_reason:
            return  # a save that changed no tracked field (a sign-in's last_login) is no change to audit
        data = {
            "changes": {
                c.field: {"before": _plain(c.old, c.field, hidden), "after": _plain(c.new, c.field, hidden)}
                for c in delta.changes
            }
        }
    elif kind == "-":
        data = {"before": tracked_values(history_instance, hidden)}
    else:
        data = {"after": tracked_values(history_instance, hidden)}
    reason = history_instance.history_change_reason
    if reason:
        data["reason"] = reason
    record_event(HISTORY_EVENTS[kind], actor=history_instance.history_user, target=instance, data=data)
