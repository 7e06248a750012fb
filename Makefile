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
# Tests drive Debian's Chromium and read PDFs with poppler.
TEST_DEBS := chromium poppler-utils

.PHONY: run test install install-test debs debs-test messages lint clean

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

run: install
	@mkdir -p var
	DEBUG=true $(PY) manage.py migrate --no-input -v0
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Lianjie serves on http://127.0.0.1:$(PORT)/ (the demo logins are above)."
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install-test lint
	DJANGO_SETTINGS_MODULE=lianjie.settings_test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=lianjie.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
