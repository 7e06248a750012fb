"""Settings for the test suite: the production settings with random keys and fast password hashing.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite runs embedded (SQLite,
eager Celery) and against the real PostgreSQL and Redis.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# Random keys for each run, set in the environment so that the servers and workers a test starts share
# them; a fixed key here would be one more published key.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("FIELD_ENCRYPTION_KEY", secrets.token_hex(16))
os.environ.setdefault("HTTPS", "false")
# The suite signs in far more often than any person; the throttle's own test sets its rate.
os.environ.setdefault("LOGIN_RATE", "100000/m")
# `make test` runs the suite in pytest-xdist workers (gw0, gw1), each with a test database of its own
# (test_lianjie_gw0...). Each gets its own files and file cache under DATA_DIR, and its own Redis database
# (the URL's, plus the worker's number): one worker's Celery never runs a job the other queued against the
# other's database. The servers and workers a test starts inherit both (tests/live_services.py).
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
os.environ.setdefault("DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test" / _xdist_worker))
if _xdist_worker and os.environ.get("REDIS_URL"):
    _redis = urlsplit(os.environ["REDIS_URL"])
    _database = int(_redis.path.strip("/") or 0) + int(_xdist_worker.removeprefix("gw"))
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{_database}"))

from .settings import *  # noqa: E402, F403 (after the environment above)

# The test client and live_server speak plain HTTP.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest storage makes CSS and JS 404 under live_server (STACK.md).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Static files come straight from the finders; no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
