"""One audit route: every model that holds business or reference data is history-tracked, and so every
change to it (through a service, an importer or the admin) reaches the chained audit log with before and
after. A new model fails the walk below until it is tracked or listed here with a reason."""

import pytest
from django.apps import apps
from simple_history.models import HistoricalChanges, registered_models

from accounts.roles import Role
from audit.models import AuditEvent, EventType
from petitions.models import PetitionClass

from ..factories import PASSWORD, UserFactory

# Models that are not history-tracked, each with the reason it need not be.
NOT_TRACKED = {
    "admin.LogEntry": "Django's admin log; the audit log records the admin's changes through the histories",
    "auth.Permission": "created by migrate from the models' Meta",
    "auth.Group": "the roles, written by migrate from accounts.roles; a grant is audited as role_changed",
    "contenttypes.ContentType": "created by migrate",
    "sessions.Session": "sign-in state; sign-in and sign-out are audited as events",
    "otp_totp.TOTPDevice": "holds the TOTP secret; enrolment and reset are audited as events",
    "axes.AccessAttempt": "sign-in security bookkeeping; failures and lockouts are audited as events",
    "axes.AccessAttemptExpiration": "sign-in security bookkeeping",
    "axes.AccessFailureLog": "sign-in security bookkeeping",
    "axes.AccessLog": "sign-in security bookkeeping",
    "django_celery_beat.SolarSchedule": "job schedules written by migrations, not business data",
    "django_celery_beat.IntervalSchedule": "job schedules written by migrations, not business data",
    "django_celery_beat.ClockedSchedule": "job schedules written by migrations, not business data",
    "django_celery_beat.CrontabSchedule": "job schedules written by migrations, not business data",
    "django_celery_beat.PeriodicTasks": "beat's change marker",
    "django_celery_beat.PeriodicTask": "job schedules written by migrations, not business data",
    "audit.AuditEvent": "the audit log itself (append-only, chained)",
    "audit.AuditChainHead": "the audit chain's last link",
    "scoring.VillageResult": "derived: recomputed from the tracked scores at each tracked transition of the round",
    "accounts.Notice": "a reminder derived from tracked rows; reading it changes no business data",
    "culture.Vote": "a public vote is a figure (a keyed hash of a browser cookie, a day), not a change",
}


def _untracked_models() -> set[str]:
    """The installed models without a history (the historical models themselves left out)."""
    tracked = set(registered_models.values())  # simple_history's register: table name → tracked model
    return {
        model._meta.label
        for model in apps.get_models()
        if model not in tracked and not issubclass(model, HistoricalChanges)
    }


def test_every_model_is_history_tracked_or_listed_with_a_reason():
    untracked = _untracked_models()
    assert sorted(untracked - set(NOT_TRACKED)) == [], "track these models or list them in NOT_TRACKED with a reason"
    tracked_but_listed = set(NOT_TRACKED) - untracked
    assert sorted(tracked_but_listed) == [], "these are tracked now: take them off NOT_TRACKED"


@pytest.mark.django_db
def test_a_petition_class_target_edited_in_the_admin_reaches_the_audit_log_with_before_and_after(cast, client_for):
    simple = PetitionClass.objects.get(code="simple")
    response = client_for("sysadmin").post(
        f"/admin/petitions/petitionclass/{simple.pk}/change/",
        {"code": simple.code, "name": simple.name, "target_days": 20, "position": simple.position},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(target_type="petitions.PetitionClass", target_id=str(simple.pk)).first()
    assert event.event_type == EventType.UPDATED
    assert event.actor == cast.users["sysadmin"]
    assert event.data["changes"] == {"target_days": {"before": 30, "after": 20}}


@pytest.mark.django_db
def test_a_new_user_reaches_the_audit_log_without_the_password_hash():
    user = UserFactory(username="newcomer", role=Role.COMMISSION_STAFF)
    events = AuditEvent.objects.filter(target_type="accounts.User", target_id=str(user.pk))
    assert events.filter(event_type=EventType.CREATED).exists()
    for event in events:
        fields = event.data.get("after") or event.data["changes"]
        assert "password" not in fields
        assert user.password not in str(event.data)


@pytest.mark.django_db
def test_a_sign_in_is_audited_as_a_sign_in_and_not_as_an_empty_change_of_the_user(cast, client):
    staff = cast.users["staff"]
    client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    after = AuditEvent.objects.filter(target_type="accounts.User", target_id=str(staff.pk), event_type="updated")
    assert [event.data for event in after if not event.data.get("changes")] == []
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN, actor=staff).exists()
