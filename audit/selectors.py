from django.db.models import QuerySet

from .chain import ChainReport, verify_events
from .models import AuditChainHead, AuditEvent


def audit_events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.order_by("-seq")


def verify_chain() -> ChainReport:
    head = AuditChainHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)
    return verify_events(
        events,
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else "0" * 64,
    )
