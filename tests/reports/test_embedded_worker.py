"""`make run` without Redis, as it runs: scripts/serve-with-worker starts the web server with a real Celery
worker and beat on the embedded broker (kombu's filesystem transport). Staff ask for the year's reports: the
request returns at once with the batch pending, the worker builds every PDF, and Ctrl-C stops all three."""

import contextlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from ..factories import PASSWORD
from ..live_services import ROOT, Session, database_url, free_port, record_measurement, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def shared_database_url(tmp_path) -> str:
    """A database the script's processes can open: the session's own on PostgreSQL; on SQLite, whose test
    database lives in this process's memory, a file copy of it (the test data is committed)."""
    if connection.vendor != "sqlite":
        return database_url()
    path = tmp_path / "lianjie.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{path}"


def serving(session: Session) -> bool:
    try:
        return session.get("/healthz")[0] == 200
    except OSError:  # not listening yet
        return False


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_reports_asked_for_under_make_run_return_at_once_and_its_worker_builds_every_pdf(cast, year_2025, tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lianjie.settings_test",
        "DATABASE_URL": shared_database_url(tmp_path),
        "DATA_DIR": str(tmp_path),
        "PORT": str(port),
        "PY": sys.executable,
    }
    environment.pop("REDIS_URL", None)  # the embedded broker, also in the services run
    output = tmp_path / "serve.out"
    launched = time.monotonic()
    with output.open("wb") as out:
        # Its own session, so that the test can press Ctrl-C on the script's whole process group.
        script = subprocess.Popen(
            [ROOT / "scripts" / "serve-with-worker"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        staff = Session(base)
        wait_until(lambda: serving(staff), timeout=60, what="the server answering")
        serving_after = time.monotonic() - launched
        staff.sign_in("staff", PASSWORD)

        started = time.monotonic()
        status, headers, _body = staff.post("/reports/build", {"year": "2025"})
        request_ms = (time.monotonic() - started) * 1000
        assert (status, headers["Location"]) == (302, "/reports/?year=2025")
        _status, _headers, page = staff.get("/reports/?year=2025")
        # The page shown after the request polls a batch still running (htmx polls on while the answer is
        # 200 and stops at 286), and reloads once it is done: nothing was built in the request.
        progress = re.search(r'hx-get="(/reports/batches/\d+\?reload=1)"', page).group(1)
        assert staff.get(progress)[0] == 200

        wait_until(lambda: staff.get(progress)[0] == 286, timeout=120, what="every report built")
        all_built = time.monotonic() - started
        assert staff.get(progress)[1]["HX-Refresh"] == "true"
        _status, _headers, page = staff.get("/reports/?year=2025")
        assert "?reload=1" not in page
        downloads = sorted(set(re.findall(r'href="(/reports/\d+\.pdf)"', page)))
        assert len(downloads) == 3  # townships A and B, and the district
        texts = [pdf_text(staff.opener.open(base + path, timeout=30).read()) for path in downloads]
        assert any("路桥街道" in text for text in texts) and any("路南街道" in text for text in texts)
        worker_log = (tmp_path / "log" / "worker.log").read_text()
        assert len(re.findall(r"build_report\[[^]]+\] succeeded", worker_log)) == 3  # by the worker

        interrupted = time.monotonic()
        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C in the terminal
        script.wait(timeout=90)
        stopped_after = time.monotonic() - interrupted
        with pytest.raises(ProcessLookupError):  # nothing it started is left: server, worker and its pool, beat
            os.killpg(script.pid, 0)
        assert "Stopped the server, the Celery worker and beat." in output.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(script.pid, signal.SIGKILL)
        script.wait()
    record_measurement(
        "embedded_worker_reports",
        serving_seconds=round(serving_after, 1),
        build_request_ms=round(request_ms),
        all_built_seconds=round(all_built, 1),
        stop_seconds=round(stopped_after, 1),
    )
