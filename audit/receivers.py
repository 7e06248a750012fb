"""Every change that django-simple-history records also becomes a chained audit row with before and
after, so the audit log covers the admin, the services and the importers alike."""

from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from .models import EventType
from .services import record_event

HISTORY_EVENTS = {"+": EventType.CREATED, "~": EventType.UPDATED, "-": EventType.DELETED}


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@receiver(post_create_historical_record)
def audit_history_record(sender, instance, history_instance, **kwargs) -> None:
    kind = history_instance.history_type
    if kind == "~" and history_instance.prev_record is not None:
        delta = history_instance.diff_against(history_instance.prev_record)
        data = {"changes": {c.field: {"before": c.old, "after": c.new} for c in delta.changes}}
    elif kind == "-":
        data = {"before": field_values(instance)}
    else:
        data = {"after": field_values(instance)}
    reason = history_instance.history_change_reason
    if reason:
        data["reason"] = reason
    record_event(HISTORY_EVENTS[kind], actor=history_instance.history_user, target=instance, data=data)
