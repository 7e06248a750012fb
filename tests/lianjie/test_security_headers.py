"""HTTP security: CSP without inline script, nosniff, Referrer-Policy, no caching of private pages,
and `check --deploy` clean under production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import reverse


def test_private_pages_carry_the_security_headers_and_are_not_cached(cast, client_for):
    response = client_for("staff").get(reverse("workspace"))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_the_sign_in_page_and_errors_are_not_cached_either(db, client):
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]
    assert client.get("/no-such-page/")["Cache-Control"] == "no-store"


def test_public_pages_may_be_cached(db, client):
    assert client.get(reverse("public:index")).get("Cache-Control") != "no-store"


def test_hsts_is_sent_over_https_when_configured(db, client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(reverse("public:index"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script_or_style():
    offenders = []
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        html = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) or re.search(r"\sstyle=\"", html):
            offenders.append(str(template))
        if re.search(r"\son[a-z]+=\"", html):
            offenders.append(f"{template} (event handler attribute)")
    assert offenders == []


def production(**overrides: str) -> dict:
    """The environment of a production process: the test-only variables removed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lianjie.settings", "DEBUG": "false", **overrides}
    for name in ("HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "FIELD_ENCRYPTION_KEY"):
        if name not in overrides:
            env.pop(name, None)
    return env


def run(env: dict, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)


DEPLOY_CHECK = ("manage.py", "check", "--deploy", "--fail-level", "WARNING")


def test_check_deploy_is_clean_under_production_settings():
    env = production(
        SECRET_KEY="p" * 20 + "production-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        FIELD_ENCRYPTION_KEY=secrets.token_hex(16),
        ALLOWED_HOSTS="lianjie.example.gov.cn",
    )
    result = run(env, *DEPLOY_CHECK)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_with_a_key_that_was_ever_in_the_repository():
    env = production(
        SECRET_KEY="insecure-development-key-only-for-make-run", FIELD_ENCRYPTION_KEY="00112233445566778899aabbccddeeff"
    )
    server = run(env, "-c", "import lianjie.wsgi")
    assert server.returncode != 0
    assert "SECRET_KEY, FIELD_ENCRYPTION_KEY, AUDIT_CHAIN_KEY must not be a published default key" in server.stderr


def test_production_refuses_to_start_without_its_keys():
    server = run(production(), "-c", "import lianjie.wsgi")
    assert server.returncode != 0
    assert "SECRET_KEY must be set" in server.stderr and "FIELD_ENCRYPTION_KEY" in server.stderr
    deploy_check = run(production(), *DEPLOY_CHECK)
    assert deploy_check.returncode != 0 and "lianjie.W001" in deploy_check.stderr
