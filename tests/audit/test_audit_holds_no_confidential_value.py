"""The audit log records who did what to which object and which fields changed, never the value of a
confidential field: the petitioner's identity and contact, the identity hash that links a petitioner's
cases, the case uid the encryption is bound to, the summary, the person complained about, the handling
result, the names of persons handled. A petition and a person handled go through every step with canary
values, which are then searched for in the audit table, its pages and verify_audit's output (the audit
log has no export)."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from audit.receivers import CONFIDENTIAL
from inspections import services as inspection_services
from inspections.models import PersonHandled
from petitions import services

from ..inspection_helpers import inspection
from ..petition_helpers import accepted, register

IDENTITY, CONTACT = "甄举报KQ7X", "13912345678"
SUBJECT, SUMMARY, RESULT = "郝被告QX", "反映山林承包款去向不明QX", "经核实属实QX"
HANDLED, HANDLED_LATER = "张处理QX", "李处理QX"


def test_no_confidential_value_of_a_petition_or_a_person_handled_reaches_the_audit_log(cast, client_for):
    officer = cast.users["petition"]
    petition = register(cast, identity=IDENTITY, contact=CONTACT, subject_name=SUBJECT, summary=SUMMARY)
    accepted(cast, petition)
    services.petition_start(petition=petition, acting_user=officer)
    services.petition_conclude(
        petition=petition, acting_user=officer, conclusion="true", result=RESULT, on=date(2025, 4, 1)
    )
    person = inspection_services.person_record(
        round_=inspection(cast),
        acting_user=cast.users["staff"],
        village=cast.village_a,
        name=HANDLED,
        post="村委委员",
        village_cadre=True,
        handling=PersonHandled.Handling.PARTY_SANCTION,
        decided_on=date(2025, 6, 1),
    )
    person.name = HANDLED_LATER  # a correction of the name: the log says the name changed, not to what
    person._history_user = cast.users["staff"]
    person.save()
    petition.refresh_from_db()
    canaries = [
        IDENTITY,
        CONTACT,
        SUBJECT,
        SUMMARY,
        RESULT,
        HANDLED,
        HANDLED_LATER,
        str(petition.uid),
        petition.identity_key,
        petition.identity_ciphertext,
        petition.contact_ciphertext,
    ]

    rows = "\n".join(f"{e.target_repr} {e.data}" for e in AuditEvent.objects.all())
    auditor = client_for("auditor")
    pages = [
        auditor.get(reverse("audit:list"), {"page": page}).content.decode()
        for page in range(1, AuditEvent.objects.count() // 50 + 2)
    ]
    verified = StringIO()
    call_command("verify_audit", stdout=verified)
    for where, text in {"table": rows, "page": "".join(pages), "verify": verified.getvalue()}.items():
        for canary in canaries:
            assert canary not in text, f"{canary!r} in the audit {where}"

    # What the log does say: which confidential fields were set or changed, by whom.
    created = AuditEvent.objects.get(target_type="petitions.Petition", target_id=str(petition.pk), event_type="created")
    assert created.actor == officer
    assert {name: created.data["after"][name] for name in ("summary", "subject_name", "uid")} == {
        "summary": CONFIDENTIAL,
        "subject_name": CONFIDENTIAL,
        "uid": CONFIDENTIAL,
    }
    renamed = AuditEvent.objects.filter(target_type="inspections.PersonHandled", event_type="updated").get()
    assert renamed.data["changes"] == {"name": {"before": CONFIDENTIAL, "after": CONFIDENTIAL}}
