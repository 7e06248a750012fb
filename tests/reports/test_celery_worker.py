"""Celery: the daily audit-chain job, directly and through a real worker on Redis (services run)."""

import pytest
from django.conf import settings

from audit.models import EventType
from audit.services import record_event
from audit.tasks import verify_audit_chain
from lianjie.celery import app


def test_the_audit_job_reports_an_intact_chain(cast):
    record_event(EventType.EXPORTED, actor=cast.users["staff"])
    result = verify_audit_chain()
    assert result["broken_seq"] is None and result["checked"] >= 1


def test_the_audit_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["verify-audit-chain-daily"]
    assert entry["task"] == "audit.tasks.verify_audit_chain"
    assert entry["schedule"].total_seconds() == 86_400


def test_reliability_settings_are_on():
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_audit_job_over_redis(cast):
    from celery.contrib.testing.worker import start_worker

    record_event(EventType.EXPORTED, actor=cast.users["staff"])
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = verify_audit_chain.delay().get(timeout=30)
    assert result["broken_seq"] is None and result["checked"] >= 1
