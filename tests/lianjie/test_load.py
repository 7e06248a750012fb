"""Load on loopback, bounded in time, against gunicorn on PostgreSQL and Redis: the public index under
8 concurrent connections for LOAD_SECONDS (30 in CI) with zero errors, p50 and p95 recorded; a flood of
wrong passwords refused by the per-address throttle, so that the password hasher runs only the allowed
number of times. Figures go to test-artifacts/measurements.jsonl; no speed is asserted."""

import os
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

import pytest

from audit.models import AuditEvent, EventType
from scoring.models import Round
from scoring.services import round_compute_results

from ..factories import TownshipFactory, VillageFactory
from ..live_services import Session, gunicorn, record_measurement
from ..scoring_helpers import fill_scores, make_round

pytestmark = [pytest.mark.services, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CONNECTIONS = 8
LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
LOGIN_RATE = 30  # per minute and address, as in production


@pytest.fixture
def published_district(cast):
    """A published year of 4 townships × 15 villages."""
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    townships = [cast.township_a, cast.township_b, TownshipFactory(), TownshipFactory()]
    for number, township in enumerate(townships):
        for village in VillageFactory.create_batch(15, township=township):
            fill_scores(round_, village, f"{75 + number * 5 + village.pk % 5}")
    round_compute_results(round_)
    return townships


def _cpu_seconds(server) -> float:
    """User and system CPU time of gunicorn's workers (the children of its master) so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _hammer(call, *, seconds: float, connections: int = CONNECTIONS) -> tuple[Counter, list[float]]:
    """`call(worker_number, request_number)` from `connections` threads for `seconds`; returns the
    outcomes counted and every latency in milliseconds."""
    outcomes, latencies, lock = Counter(), [], threading.Lock()
    deadline = time.monotonic() + seconds

    def run(number):
        count = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                outcome = call(number, count)
            except (urllib.error.URLError, OSError) as error:
                outcome = type(error).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                outcomes[outcome] += 1
                latencies.append(elapsed)
            count += 1

    threads = [threading.Thread(target=run, args=(number,)) for number in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, latencies


def test_the_public_index_serves_eight_connections_without_an_error(published_district, settings):
    township = published_district[2].code
    paths = ["/", "/index/2025/", f"/?t={township}", "/?o=total&page=2", "/methodology/", "/open-data/2025.json"]

    def read(number, count):
        path = paths[(number + count) % len(paths)]
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            return response.status

    with gunicorn(settings.REDIS_URL, workers=2, threads=2) as (base, server):
        cpu_before = _cpu_seconds(server)
        outcomes, latencies = _hammer(read, seconds=LOAD_SECONDS)
        cpu = _cpu_seconds(server) - cpu_before
    assert set(outcomes) == {200}, outcomes
    quantiles = statistics.quantiles(latencies, n=100)
    record_measurement(
        "public_index_load",
        connections=CONNECTIONS,
        seconds=LOAD_SECONDS,
        requests=len(latencies),
        errors=0,
        requests_per_second=round(len(latencies) / LOAD_SECONDS, 1),
        p50_ms=round(quantiles[49], 1),
        p95_ms=round(quantiles[94], 1),
        server_cpu_seconds=round(cpu, 1),
    )


def test_a_flood_of_wrong_passwords_is_refused_before_any_password_is_checked(cast, settings):
    flood_seconds = min(LOAD_SECONDS, 15)
    with gunicorn(settings.REDIS_URL, workers=2, LOGIN_RATE=f"{LOGIN_RATE}/m") as (base, server):
        sessions = [Session(base) for _ in range(CONNECTIONS)]
        for session in sessions:
            session.get("/accounts/login/")  # the CSRF cookie, before the clock starts

        def guess(number, count):
            # A new name each time, as a password sprayer would: the per-account lockout never applies.
            name = f"guess-{uuid.uuid4().hex[:8]}"
            status, _headers, _body = sessions[number].request(
                "POST", "/accounts/login/", {"username": name, "password": "Wrong-password-1"}
            )
            return status

        cpu_before = _cpu_seconds(server)
        outcomes, _latencies = _hammer(guess, seconds=flood_seconds)
        cpu = _cpu_seconds(server) - cpu_before
    checked = AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count()
    assert set(outcomes) <= {200, 429}, outcomes
    # django-ratelimit counts per minute (each key's minute offset differently): a flood may span two.
    assert outcomes[200] <= 2 * LOGIN_RATE and checked == outcomes[200]
    assert outcomes[429] > 0
    record_measurement(
        "sign_in_flood",
        seconds=flood_seconds,
        attempts=sum(outcomes.values()),
        passwords_checked=checked,
        refused_429=outcomes[429],
        server_cpu_seconds=round(cpu, 1),
    )
