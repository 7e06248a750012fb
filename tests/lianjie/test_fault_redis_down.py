"""Redis stopped under a running deployment (gunicorn on the test database, a Redis of the test's own):
pages keep serving, the public ones included; asking for reports says the jobs could not be queued and
writes nothing; /healthz names Redis; beat outlives a periodic job falling due meanwhile; once Redis is back
the next request and the next due job go through."""

import time
from datetime import timedelta

import pytest
from celery import Celery
from django_celery_beat.schedulers import DatabaseScheduler

from petitions.tasks import mark_overdue
from reports.models import ReportBatch, ReportVersion

from ..factories import PASSWORD
from ..live_services import Session, gunicorn, redis_server

pytestmark = [pytest.mark.services, pytest.mark.postgres]

NOT_QUEUED = "报告任务无法排队（任务队列不可用），请稍后再试。"


@pytest.mark.django_db(transaction=True)
def test_pages_keep_serving_and_report_requests_say_they_could_not_be_queued(cast, year_2025):
    village = f"/index/2025/village/{cast.village_a.code}/"
    with redis_server() as broker, gunicorn(broker.url) as (base, _server):
        public, staff = Session(base), Session(base)
        staff.sign_in("staff", PASSWORD)
        assert public.get("/")[0] == 200  # cached while Redis answered

        broker.stop()
        for path in ("/", village, "/open-data/2025.csv", "/methodology/"):
            status, _headers, body = public.get(path)
            assert status == 200, path
        assert cast.village_a.name in public.get("/")[2] and cast.village_a.name in public.get(village)[2]
        status, _headers, body = public.get("/healthz")
        assert status == 503 and '"failing": ["redis"]' in body
        assert staff.get("/workspace/")[0] == 200

        status, headers, _body = staff.post("/reports/build", {"year": "2025"})
        assert status == 302
        assert NOT_QUEUED in staff.get(headers["Location"])[2]
        assert not ReportBatch.objects.exists() and not ReportVersion.objects.exists()

        broker.start()
        status, headers, _body = staff.post("/reports/build", {"year": "2025"})
        assert "报告正在生成。" in staff.get(headers["Location"])[2]
        batch = ReportBatch.objects.get()
        assert batch.total == 3 and batch.failures == []
        assert broker.client().llen("celery") == 3  # every job of the batch waits on the queue
        assert public.get("/healthz")[0] == 200


@pytest.mark.django_db(transaction=True)  # beat closes and reopens its connection, as in production
def test_beat_keeps_running_while_redis_is_down_and_sends_the_next_due_job():
    with redis_server() as broker:
        beat_app = Celery("beat-under-test", set_as_current=False)
        beat_app.config_from_object("django.conf:settings", namespace="CELERY")
        beat_app.conf.broker_url = beat_app.conf.result_backend = broker.url
        beat_app.conf.beat_schedule = {
            "mark-overdue-petitions": {"task": mark_overdue.name, "schedule": timedelta(seconds=1)},
        }
        beat = DatabaseScheduler(app=beat_app)
        try:
            _tick_until_sent(beat, broker, expected=1)  # beat runs and sends while Redis answers

            broker.stop()
            _tick(beat, seconds=3)  # due meanwhile: beat logs the failure and keeps running
            broker.start()  # an empty Redis (it keeps nothing on disk): beat must send on its own
            _tick_until_sent(beat, broker, expected=1)
        finally:
            beat._finalize()  # its last sync now, while the test database exists, not at interpreter exit


def _tick(beat, *, seconds: float, until=lambda: False) -> None:
    """Beat's own loop, for a while or until `until()` holds."""
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        time.sleep(max(0.0, min(beat.tick(), 0.2)))


def _tick_until_sent(beat, broker, *, expected: int) -> None:
    _tick(beat, seconds=15, until=lambda: broker.client().llen("celery") >= expected)
    assert broker.client().llen("celery") == expected
