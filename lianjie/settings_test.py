"""Settings for the test suite: the production settings with random keys and fast password hashing.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite runs embedded (SQLite,
eager Celery) and against the real PostgreSQL and Redis.
"""

import os
import secrets
from pathlib import Path

# Random keys for each run, set in the environment so that the servers and workers a test starts share
# them; a fixed key here would be one more published key.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("FIELD_ENCRYPTION_KEY", secrets.token_hex(16))
os.environ.setdefault("HTTPS", "false")
# The suite signs in far more often than any person; the throttle's own test sets its rate.
os.environ.setdefault("LOGIN_RATE", "100000/m")
os.environ.setdefault("DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from .settings import *  # noqa: F403

# The test client and live_server speak plain HTTP.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest storage makes CSS and JS 404 under live_server (STACK.md).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Static files come straight from the finders; no collectstatic before a test run.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
