# Lianjie: `make run` serves the demo, `make test` runs every check. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Python and the libraries psycopg2 compiles against.
BASE_DEBS := python3 python3-venv python3-dev gcc libpq-dev gettext
# WeasyPrint's libraries (libharfbuzz-subset0 keeps CJK PDFs fast) and a CJK font.
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei
# Tests drive Debian's Chromium, read PDFs with poppler and rehearse the backup with pg_dump and
# pg_restore of the server's major version (PostgreSQL 15, as in docker-compose.yml).
TEST_DEBS := chromium poppler-utils postgresql-client-15
# pip-audit lives in its own environment: its dependencies never mix with the application's pins.
AUDIT_VENV := $(VENV)/pip-audit
PIP_AUDIT := pip-audit==2.10.1
# `check --deploy` runs under the environment of docker-compose.yml (the servers are not contacted):
# DEBUG off, HTTPS on, PostgreSQL and Redis, fresh random keys.
PRODUCTION_ENV = DJANGO_SETTINGS_MODULE=lianjie.settings DEBUG=false HTTPS=true \
	DATABASE_URL=postgres://lianjie@db:5432/lianjie REDIS_URL=redis://redis:6379/0 \
	ALLOWED_HOSTS=lianjie.example.gov.cn CSRF_TRUSTED_ORIGINS=https://lianjie.example.gov.cn \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	FIELD_ENCRYPTION_KEY="$$($(PY) -c 'import secrets; print(secrets.token_hex(16))')" \
	AUDIT_CHAIN_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"

.PHONY: run debug demo-data test suite install install-test debs debs-test messages lint types check-deploy audit clean

debs:
	@scripts/install-debian-packages $(BASE_DEBS) $(PDF_DEBS)

debs-test: debs
	@scripts/install-debian-packages $(TEST_DEBS)

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: debs $(VENV)/.installed messages

install-test: debs-test $(VENV)/.installed-test messages

# Compiled catalogs are built, not committed.
messages: $(VENV)/.installed
	@DEBUG=true DJANGO_SETTINGS_MODULE=lianjie.settings $(PY) manage.py compilemessages --ignore=.venv -v0

# The demo's keys: random, made once per installation, never in git (var/ is ignored). With a published
# key anyone could decrypt a copy of the demo database or recompute its audit chain.
KEYS := var/keys.env
$(KEYS): | $(VENV)/.installed
	@mkdir -p var
	@if [ -e var/lianjie.sqlite3 ]; then \
	  echo "var/lianjie.sqlite3 was made with the demo's old published keys: remove var/ and run make run again." >&2; \
	  exit 1; fi
	@umask 077 && $(PY) -c 'import secrets; print(f"SECRET_KEY={secrets.token_urlsafe(50)}\nAUDIT_CHAIN_KEY={secrets.token_urlsafe(50)}\nFIELD_ENCRYPTION_KEY={secrets.token_hex(16)}")' > $@.tmp
	@mv $@.tmp $@
# The demo runs as production does (DEBUG off: no tracebacks, settings or URL lists for anyone), over
# plain HTTP on the loopback address.
DEMO_ENV = set -a && . ./$(KEYS) && HTTPS=false && set +a &&

demo-data: install $(KEYS)
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEMO_ENV) $(PY) manage.py seed_demo

# The server with a Celery worker and beat beside it (scripts/serve-with-worker): on the embedded broker
# (files under var/broker/), or on Redis when REDIS_URL is set. Ctrl-C stops all three.
run: demo-data
	@echo "Lianjie serves on http://127.0.0.1:$(PORT)/ (the demo logins are above)."
	$(DEMO_ENV) PY=$(PY) PORT=$(PORT) scripts/serve-with-worker

# Django's debug pages, for a developer on this machine only: never on a server others can reach.
debug: demo-data
	$(DEMO_ENV) DEBUG=true PY=$(PY) PORT=$(PORT) scripts/serve-with-worker

# Checked strictly by mypy (mypy.ini): the kernel and every app's services and selectors, with the services
# of a capability kept in a module of its own (an app's objections, awards, venues, bulletins, visits).
FEATURE_SERVICES = scoring/objections.py culture/awards.py culture/venues.py culture/bulletins.py petitions/visits.py \
	stars/criteria_services.py
TYPED = core $(filter-out core/%,$(wildcard */services.py */selectors.py */*_selectors.py)) $(FEATURE_SERVICES)

types: $(VENV)/.installed-test
	$(VENV)/bin/mypy $(TYPED)

lint: $(VENV)/.installed-test types
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports  # the arrows between apps: [tool.importlinter] in pyproject.toml
	$(VENV)/bin/djlint templates --lint  # .djlintrc

# Django's deployment checks (and lianjie.W001, the keys) under production settings; warnings fail.
check-deploy: $(VENV)/.installed
	$(PRODUCTION_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# Known vulnerabilities of every package installed in .venv (the pins and what they pulled in), from
# PyPI's advisory data. Needs the network, so it is not part of `make test`. --strict: a package that
# could not be looked up fails the audit instead of passing unchecked.
$(AUDIT_VENV)/.installed:
	@test -x $(AUDIT_VENV)/bin/python || python3 -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet $(PIP_AUDIT)
	@touch $@

audit: $(VENV)/.installed-test $(AUDIT_VENV)/.installed
	$(AUDIT_VENV)/bin/pip-audit --strict --path "$$($(PY) -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"

test: install-test lint check-deploy suite

# The part of `make test` that depends on the database and the broker (DATABASE_URL, REDIS_URL): Django's
# checks, the migrations check and pytest, on what `make install-test` installed.
# pytest runs in TEST_WORKERS processes (pytest-xdist), each with its own test database and Redis database.
TEST_WORKERS ?= 2
suite:
	@mkdir -p var/test  # the test settings' SQLite directory, which makemigrations --check opens
	DJANGO_SETTINGS_MODULE=lianjie.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=lianjie.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest --numprocesses $(TEST_WORKERS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
