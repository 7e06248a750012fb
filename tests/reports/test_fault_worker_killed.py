"""A Celery worker killed (SIGKILL) in the middle of a report: once a worker runs again, the report is
completed with exactly one version, within the configured visibility timeout and one restore sweep."""

import os
import signal
import time

import pytest
from kombu import Connection

from lianjie.celery import app
from reports.models import ReportVersion
from reports.tasks import build_report

from ..live_services import celery_worker, record_measurement, redis_server, wait_until
from ..reports.test_reports import pdf_text

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VISIBILITY_TIMEOUT = 8
SWEEP_SECONDS = app.conf.broker_transport_options["unacked_restore_interval"]


def test_a_report_cut_off_by_a_killed_worker_is_finished_once_by_the_next(cast, year_2025, tmp_path):
    marker = tmp_path / "paused"
    settings = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    with redis_server() as broker:
        slow = celery_worker(
            broker.url, module="tests.slow_report_worker", LIANJIE_PAUSE_MARKER=str(marker), **settings
        )
        job = ("killed-mid-report", 2025, cast.township_a.pk, cast.users["staff"].pk)
        with Connection(broker.url) as connection:
            build_report.apply_async(job, connection=connection)
        try:
            wait_until(marker.exists, timeout=60, what="the worker in the middle of the report")
        finally:
            os.kill(slow.pid, signal.SIGKILL)
            slow.wait()
        killed_at = time.monotonic()
        assert not ReportVersion.objects.filter(job_id="killed-mid-report").exists()
        assert broker.client().zcard("unacked_index") == 1  # the message is held, not lost

        worker = celery_worker(broker.url, **settings)
        try:
            version = wait_until(
                lambda: ReportVersion.objects.filter(job_id="killed-mid-report").first(),
                timeout=VISIBILITY_TIMEOUT + 2 * SWEEP_SECONDS + 60,
                what="the report finished by the restarted worker",
            )
            recovery = time.monotonic() - killed_at
            wait_until(lambda: broker.client().zcard("unacked_index") == 0, timeout=30, what="the job acknowledged")
            time.sleep(SWEEP_SECONDS + 1)  # one more sweep: the job must not come back a second time
            assert broker.client().zcard("unacked_index") == 0 and broker.client().llen("celery") == 0
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    assert ReportVersion.objects.filter(township=cast.township_a, year=2025).count() == 1
    assert "路桥街道2025年度清廉指数分析报告" in pdf_text(version)
    record_measurement(
        "worker_killed_mid_report",
        recovery_seconds=round(recovery, 1),
        visibility_timeout=VISIBILITY_TIMEOUT,
        sweep_seconds=SWEEP_SECONDS,
        versions=1,
    )
