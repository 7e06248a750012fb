"""Writes to the audit log. Every other app calls record_event(); nothing else appends."""

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .chain import chained_fields, link_hash
from .models import AuditChainHead, AuditEvent, EventType

if TYPE_CHECKING:
    from accounts.models import User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: behind a proxy, from the header it sets (CLIENT_IP_HEADER, e.g. X-Real-IP;
    of a list, the last entry, the one the trusted proxy added); otherwise the connection's."""
    if request is None:
        return None
    forwarded = request.META.get(settings.CLIENT_IP_HEADER, "") if settings.CLIENT_IP_HEADER else ""
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR")


def record_event(
    event_type: EventType,
    *,
    actor: "User | None" = None,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    username: str = "",
    data: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so a change and its
    audit row commit or roll back together."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)
    # The stored JSON is what gets hashed: normalise dates and decimals to strings first.
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_username=(actor.get_username() if actor is not None else username)[:150],
            event_type=event_type,
            target_type=target_type[:100],
            target_id=str(target_id)[:64],
            target_repr=str(target_repr)[:200],
            ip_address=client_ip(request),
            data=payload,
            prev_hash=head.hash,
        )
        event.hash = link_hash(prev_hash=head.hash, fields=chained_fields(event))
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event
