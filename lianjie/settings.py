"""Settings of Lianjie, read from the environment (django-environ).

The embedded default needs nothing: SQLite in var/, Celery eager, a local-memory cache. Production sets
DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and FIELD_ENCRYPTION_KEY; see the README's table.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from import_export.formats.base_formats import CSV, XLSX

from core.spreadsheets import CheckedXLSX

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# ---------------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# No default, not even for the demo (`make run` makes random keys once, in var/keys.env): a key in the
# source is known to everyone. Left empty, Django refuses to sign anything, lianjie.checks fails `check`
# and `migrate`, and wsgi.py refuses to start; offline commands such as makemigrations still work.
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Files that must never be served directly (reports, attachments) live here, outside the web root.
DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / "var")))
MEDIA_ROOT = DATA_DIR / "files"

INSTALLED_APPS = [
    "lianjie.admin_site.LianjieAdminConfig",  # django.contrib.admin, with the site of lianjie/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_ratelimit",
    "simple_history",
    "import_export",
    "django_htmx",
    "django_celery_beat",
    "lianjie",
    "core",
    "accounts",
    "audit",
    "villages",
    "scoring",
    "stars",
    "inspections",
    "petitions",
    "cities",
    "culture",
    "workplan",
    "results",
    "decisions",
    "villagers",
    "reports",
    "public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lianjie.locale.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lianjie.middleware.PrivatePagesNotCachedMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "lianjie.urls"
WSGI_APPLICATION = "lianjie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lianjie.context_processors.site",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'lianjie.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes writers queue instead of failing with "database is locked" mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The why of a change (a deduction's reason, a leader's reason for returning a round) is kept whole in the
# history: simple_history's default column holds 100 characters, and PostgreSQL refuses a longer one.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# ---------------------------------------------------------------------------------------------------
# Cache and Celery: Redis when REDIS_URL is set; files under DATA_DIR with EMBEDDED_BROKER (`make run`);
# otherwise in-process: Celery eager (the tests, a shell) and a local-memory cache
# ---------------------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# `make run` sets EMBEDDED_BROKER (scripts/serve-with-worker): the worker and beat it starts beside the web
# server take their messages from files under DATA_DIR/broker/ (kombu's filesystem transport: nothing to
# install or run, unlike Redis; no new package, unlike kombu's SQLAlchemy transport), and job results are
# files there too (Celery's file:// backend; the pages read progress from the report versions, not results).
EMBEDDED_BROKER = not REDIS_URL and env.bool("EMBEDDED_BROKER", default=False)
BROKER_DIR = DATA_DIR / "broker"
EMBEDDED_BROKER_FOLDERS = {}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lianjie",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
elif EMBEDDED_BROKER:
    # Shared by the server and the worker, as Redis is: a daily job that fixes star levels announces the
    # change of the public pages here (core.publication), which a per-process cache would never pass on.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": DATA_DIR / "cache"}
    }
    # The queue is one folder: kombu takes a message out with an atomic rename, so only one consumer gets
    # it. Messages taken are kept in processed/ for a look (the run script deletes those older than a week).
    for folder in ("queue", "processed", "control", "results"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    EMBEDDED_BROKER_FOLDERS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "store_processed": True,
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.5,  # seconds between two looks at the queue folder (kombu's default: 1)
    }
    CELERY_BROKER_URL = "filesystem://localhost/"  # the host only keeps kombu from warning that there is none
    CELERY_RESULT_BACKEND = f"file://{BROKER_DIR / 'results'}"
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# Whole public pages are kept in each process's memory: a Redis round trip and unpickling for every
# read would cost more than the page. They are keyed by the publication generation, which lives in the
# shared cache above, so a publication reaches every process at its next request.
CACHES["public_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "public-pages",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Reliability: a task is acknowledged only when it finished, and re-run when its worker died.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A message held by a worker that died comes back after this many seconds (above the longest job), at
# the next sweep of a live worker: every 10 s (kombu's default is every 100 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    **EMBEDDED_BROKER_FOLDERS,
}
# With Redis away, queueing a job fails within seconds (a two-retry policy) instead of hanging for twenty.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY}
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_KB", default=450_000)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job is listed here, in one place.
CELERY_BEAT_SCHEDULE = {
    "verify-audit-chain-daily": {"task": "audit.tasks.verify_audit_chain", "schedule": timedelta(days=1)},
    "fix-star-levels-daily": {"task": "stars.tasks.fix_star_levels", "schedule": timedelta(days=1)},
    "find-star-veto-hits-daily": {"task": "stars.tasks.find_star_veto_hits", "schedule": timedelta(days=1)},
    "mark-overdue-rectification-daily": {"task": "inspections.tasks.mark_overdue", "schedule": timedelta(days=1)},
    "mark-overdue-petitions-daily": {"task": "petitions.tasks.mark_overdue", "schedule": timedelta(days=1)},
    "mark-overdue-five-steps-daily": {"task": "cities.tasks.mark_overdue", "schedule": timedelta(days=1)},
    "mark-overdue-work-plan-daily": {"task": "workplan.tasks.mark_overdue", "schedule": timedelta(days=1)},
}

# ---------------------------------------------------------------------------------------------------
# Accounts, passwords, sessions (等保 2.0 level 3)
# ---------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the unread notices counted in the same query as the signed-in user.
    "accounts.backends.UserWithNoticesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute lifetime of a login: 12 hours
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(seconds=SESSION_COOKIE_AGE)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock the account, not the address: a township office reaches us from one NAT'd address, and locking it
# would lock out every colleague because of one person's typos (hence axes.W006 is silenced).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # django-ratelimit knows only its own list of caches: ours is Django's Redis cache (atomic incr), or,
    # in the embedded runtime, the local memory of its one process.
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy, the header it sets to the client's address (e.g. HTTP_X_REAL_IP): the audit log
# and the sign-in limit below read it; otherwise every client would have the proxy's address.
CLIENT_IP_HEADER = env.str("CLIENT_IP_HEADER", default="")
# Sign-in attempts per client address (django-ratelimit). A wrong password for an unknown or unlocked
# name costs ~0.2 s of CPU in the password hasher, so a flood from one address is refused before any
# hashing; axes above still locks each account after five.
LOGIN_RATE = env.str("LOGIN_RATE", default="30/m")
# Objections to the published index per client address (the public form, scoring.objection_views).
OBJECTION_RATE = env.str("OBJECTION_RATE", default="5/h")
# Votes of the 十大评选 per client address (the public vote, culture.award_views); the address is never stored.
VOTE_RATE = env.str("VOTE_RATE", default="30/h")
RATELIMIT_IP_META_KEY = "audit.services.client_ip"
RATELIMIT_VIEW = "accounts.views.sign_in_throttled"
RATELIMIT_FAIL_OPEN = True  # with Redis away, signing in still works (axes keeps its counts in the database)

# Roles whose users sign in with a second factor (TOTP): every role that reads non-public data, but the
# township secretaries (on their phones in the field), whom a deployment may add.
SECOND_FACTOR_ROLES = env.list(
    "SECOND_FACTOR_ROLES",
    default=[
        "commission_staff",
        "commission_leader",
        "petition_officer",
        "city_staff",
        "city_leader",
        "system_admin",
        "security_admin",
        "audit_admin",
    ],
)
OTP_TOTP_ISSUER = "Lianjie"
# Nobody reads another person's TOTP secret or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# ---------------------------------------------------------------------------------------------------
# HTTP security
# ---------------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CSRF_FAILURE_VIEW = "lianjie.views.csrf_failure"

# Petitioner identities are encrypted with this SM4 key (32 hex digits = 128 bits).
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default="")
# The audit chain's HMAC-SM3 key; defaults to SECRET_KEY, set it apart to rotate SECRET_KEY freely.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default=SECRET_KEY)

# ---------------------------------------------------------------------------------------------------
# Language, time, static files
# ---------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The second holds copies of third-party catalogs that ship only zh_CN, which Django ignores for zh-hans.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-vendor"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Evidence files (佐证材料: star ratings, rectification): checked by content, stored under DATA_DIR,
# never served directly.
EVIDENCE_MAX_MB = env.int("EVIDENCE_MAX_MB", default=10)

# 回头看: a village with this many petitions in 12 months is a candidate; closed findings of the last
# this many days are re-checked along with the open ones.
REVISIT_PETITION_THRESHOLD = env.int("REVISIT_PETITION_THRESHOLD", default=3)
REVISIT_RECHECK_CLOSED_DAYS = env.int("REVISIT_RECHECK_CLOSED_DAYS", default=365)

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
# Uploads are xlsx only, read through the checks every importer runs (a CSV would have none of them);
# no HTML, JSON or YAML.
IMPORT_FORMATS = [CheckedXLSX]
EXPORT_FORMATS = [XLSX, CSV]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; its warnings (an ignored CSS rule) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
