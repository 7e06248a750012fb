"""The audit log: a chain of HMAC-SM3 links that verify_audit checks; append-only in the app and,
on PostgreSQL, in the database itself."""

import itertools
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import APPEND_ONLY, AuditChainHead, AuditEvent, EventType
from audit.selectors import verify_chain
from audit.services import record_event
from villages.models import Village

from ..factories import VillageFactory


@pytest.fixture
def chain(cast):
    for n in range(5):
        record_event(EventType.EXPORTED, actor=cast.users["staff"], data={"rows": n})
    return AuditEvent.objects.order_by("seq")


def test_an_untouched_chain_verifies(chain, capsys):
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    report = verify_chain()
    assert report.intact and report.checked == chain.count()


def test_links_follow_each_other(chain):
    events = list(chain)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))


def alter_behind_the_apps_back(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db(transaction=True)
def test_a_row_altered_behind_the_apps_back_is_found(chain):
    target = chain.filter(data__rows=2).get()
    if connection.vendor == "postgresql":
        alter_behind_the_apps_back("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", [])
    alter_behind_the_apps_back("UPDATE audit_auditevent SET actor_username = %s WHERE seq = %s", ["nobody", target.seq])
    with pytest.raises(CommandError, match=f"broken at row {target.seq}"):
        call_command("verify_audit")
    if connection.vendor == "postgresql":
        alter_behind_the_apps_back("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only", [])


@pytest.mark.django_db(transaction=True)
def test_a_row_deleted_or_a_cut_tail_is_found(chain):
    if connection.vendor == "postgresql":
        alter_behind_the_apps_back("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only", [])
    last = chain.last().seq
    alter_behind_the_apps_back("DELETE FROM audit_auditevent WHERE seq = %s", [last])
    assert verify_chain().broken_seq == last
    alter_behind_the_apps_back("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    assert verify_chain().broken_seq == 2
    if connection.vendor == "postgresql":
        alter_behind_the_apps_back("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only", [])


def test_the_application_cannot_update_or_delete_an_audit_row(chain):
    event = chain.first()
    event.actor_username = "nobody"
    with pytest.raises(PermissionError, match=re.escape(APPEND_ONLY)):
        event.save()
    with pytest.raises(PermissionError, match=re.escape(APPEND_ONLY)):
        event.delete()


@pytest.mark.postgres
def test_postgresql_refuses_update_and_delete_of_audit_rows(chain):
    count = chain.count()
    for sql in ["UPDATE audit_auditevent SET actor_username = 'x'", "DELETE FROM audit_auditevent"]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            alter_behind_the_apps_back(sql, [])
    assert chain.count() == count
    assert verify_chain().intact


def test_a_change_of_business_data_is_logged_with_before_and_after(cast):
    village = Village.objects.get(code=cast.village_a.code)
    village.name = "石曲新村"
    village.save()
    event = AuditEvent.objects.filter(event_type=EventType.UPDATED, target_type="villages.Village").first()
    assert event.data["changes"]["name"] == {"before": "石曲村", "after": "石曲新村"}
    new_village = VillageFactory(township=cast.township_a, code="331004001299", name="新建村")
    created = AuditEvent.objects.filter(
        event_type=EventType.CREATED, target_type="villages.Village", target_id=str(new_village.pk)
    )
    assert created.get().data["after"]["name"] == "新建村"
    assert verify_chain().intact


def test_an_export_is_logged(cast, client_for):
    client_for("staff").get(reverse("villages:export"))
    event = AuditEvent.objects.filter(event_type=EventType.EXPORTED).get()
    assert event.actor_username == "staff" and event.data["rows"] == 2


def test_the_audit_admin_reads_and_filters_the_log(cast, client_for):
    client = client_for("auditor")
    record_event(EventType.ROLE_CHANGED, actor=cast.users["secadmin"], target=cast.users["staff"])
    page = client.get(reverse("audit:list"), {"event_type": EventType.ROLE_CHANGED})
    assert page.status_code == 200
    assert [e.event_type for e in page.context["page"]] == [EventType.ROLE_CHANGED]
    assert client.get(reverse("audit:verify")).context["report"].intact


def test_the_chain_head_tracks_the_last_row(chain):
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (chain.last().seq, chain.last().hash)
