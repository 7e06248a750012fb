"""Real processes for the fault and load tests: a private Redis server that a test may stop and start,
gunicorn serving the test database, Celery workers, and a small HTTP client that keeps a session.

They run as the deployment runs (`lianjie.wsgi`, `celery -A lianjie`), with the test settings and the
test database of the running pytest session, so the data a test commits is what they see."""

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import redis
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

from .factories import current_code

ROOT = Path(__file__).resolve().parent.parent
MEASUREMENTS = ROOT / "test-artifacts" / "measurements.jsonl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.2, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what} not reached within {timeout} s")


def record_measurement(name: str, **figures) -> None:
    """Figures a fault or load test measured, for the closing note and CI logs (never asserted as speed)."""
    MEASUREMENTS.parent.mkdir(exist_ok=True)
    with MEASUREMENTS.open("a") as out:
        out.write(json.dumps({"test": name, **figures}) + "\n")
    print(name, figures)  # shown with -s and in failure reports


def database_url(name: str | None = None) -> str:
    """The URL of the test database this pytest session uses (PostgreSQL in the services run), or of
    another database `name` on the same server."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name or db['NAME']}"


class RedisServer:
    """A redis-server of the test's own on a free port, so stopping it touches nothing else."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            wait_until(lambda: _pings(client), timeout=10, what="redis-server answering")
        except AssertionError:
            self.stop()
            raise

    def stop(self) -> None:
        _stop(self.process, timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@contextmanager
def redis_server():
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def service_env(redis_url: str, **extra) -> dict:
    # Without PYTEST_XDIST_WORKER: the test settings would move redis_url to the worker's Redis database
    # a second time (lianjie/settings_test.py), and a private redis_server() has only its own.
    return {
        **{name: value for name, value in os.environ.items() if name != "PYTEST_XDIST_WORKER"},
        "DJANGO_SETTINGS_MODULE": "lianjie.settings_test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "PYTHONPATH": str(ROOT),
        **extra,
    }


@contextmanager
def gunicorn(redis_url: str, *, workers: int = 2, threads: int = 1, **extra_env):
    """gunicorn serving lianjie.wsgi on a free loopback port; yields (its base URL, its process)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lianjie.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=service_env(redis_url, **extra_env),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/healthz"), timeout=30, what="gunicorn answering")
        yield base, process
    finally:
        _stop(process, timeout=15)


def _stop(process: subprocess.Popen, *, timeout: float) -> None:
    """TERM, and KILL if it has not ended in time (so a hung child never outlives the test)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)
    except urllib.error.HTTPError:
        return True  # 503 is an answer
    except OSError:
        return False
    return True


def celery_worker(redis_url: str, *, module: str = "celery", **extra_env) -> subprocess.Popen:
    """A real worker (solo pool: the job runs in the process a test may kill), consuming from redis_url."""
    arguments = ["-A", "lianjie", "worker", "--pool", "solo", "--loglevel", "warning"]
    arguments += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=service_env(redis_url, **extra_env),
        stdout=subprocess.DEVNULL,  # the banner
    )


class Session:
    """A browser-like HTTP client: keeps cookies and sends the CSRF token with every POST."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def request(self, method: str, path: str, data: dict | None = None):
        """(status, headers, body text); redirects are returned, not followed."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if method == "POST":
            request.add_header("X-CSRFToken", self.cookie("csrftoken") or "")
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict):
        if self.cookie("csrftoken") is None:
            self.get("/accounts/login/")
        return self.request("POST", path, data)

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)

    def sign_in(self, username: str, password: str) -> None:
        self.get("/accounts/login/")
        status, _headers, _body = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 302, f"{username} could not sign in ({status})"
        user = User.objects.get(username=username)
        if user.needs_second_factor:
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            status, _headers, _body = self.post("/accounts/two-factor/", {"token": current_code(device)})
            assert status == 302, f"{username}'s one-time code was refused ({status})"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
