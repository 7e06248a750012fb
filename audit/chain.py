"""The HMAC-SM3 chain over audit rows (SM3 from the `cryptography` package)."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

GENESIS = "0" * 64


def link_hash(*, prev_hash: str, fields: dict) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if not settings.AUDIT_CHAIN_KEY:
        raise ImproperlyConfigured("AUDIT_CHAIN_KEY (or SECRET_KEY) must be set.")
    mac = hmac.HMAC(settings.AUDIT_CHAIN_KEY.encode(), hashes.SM3())
    mac.update(prev_hash.encode())
    mac.update(payload.encode())
    return mac.finalize().hex()


def chained_fields(event) -> dict:
    """The fields the HMAC covers, in a form that survives a round trip through the database."""
    return {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "event_type": event.event_type,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "ip_address": event.ip_address,
        "data": event.data,
    }


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify_events(events: Iterable, *, head_seq: int, head_hash: str) -> ChainReport:
    """Walk the rows in sequence order; report the first whose link or content does not fit."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    for event in events:
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, "missing")
        if event.prev_hash != prev_hash:
            return ChainReport(checked, event.seq, "link")
        if link_hash(prev_hash=prev_hash, fields=chained_fields(event)) != event.hash:
            return ChainReport(checked, event.seq, "content")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if head_seq != checked or head_hash != prev_hash:
        return ChainReport(checked, checked + 1, "missing")
    return ChainReport(checked)
