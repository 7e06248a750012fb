"""A deployment must have its keys. Warnings here (not errors) so that offline commands such as
`makemigrations` work without them; `check --deploy --fail-level WARNING` fails, and wsgi.py refuses
to start a server that lacks them (missing_keys())."""

import re

from django.conf import settings
from django.core.checks import Warning, register
from django.core.exceptions import ImproperlyConfigured

SM4_KEY = re.compile(r"^[0-9a-fA-F]{32}$")
# Keys that were once in this repository (the demo's and the test settings' defaults): anyone can read
# them, so a deployment using one has no key at all.
PUBLISHED_KEYS = {
    "insecure-development-key-only-for-make-run",
    "00112233445566778899aabbccddeeff",
    "test-secret-key-not-for-production-0123456789abcdefghijklmnop",
    "0123456789abcdef0123456789abcdef",
}


def missing_keys() -> list[str]:
    try:
        secret_key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        secret_key = ""
    problems = []
    if not secret_key:
        problems.append("SECRET_KEY must be set when DEBUG is off.")
    if not SM4_KEY.match(settings.FIELD_ENCRYPTION_KEY):
        problems.append("FIELD_ENCRYPTION_KEY must be 32 hexadecimal digits (a 128-bit SM4 key).")
    if not settings.AUDIT_CHAIN_KEY:
        problems.append("AUDIT_CHAIN_KEY (or SECRET_KEY) must be set.")
    published = [
        name
        for name, value in [
            ("SECRET_KEY", secret_key),
            ("FIELD_ENCRYPTION_KEY", settings.FIELD_ENCRYPTION_KEY),
            ("AUDIT_CHAIN_KEY", settings.AUDIT_CHAIN_KEY),
        ]
        if value in PUBLISHED_KEYS
    ]
    if published:
        problems.append(f"{', '.join(published)} must not be a published default key; generate a random one.")
    return problems


@register()
def keys_are_configured(app_configs=None, **kwargs) -> list[Warning]:
    return [
        Warning(
            problem,
            hint="Generate the keys once per installation, e.g. `make run` writes random ones to var/keys.env; "
            "in production set them in the environment (README, Deployment).",
            id="lianjie.W001",
        )
        for problem in missing_keys()
    ]
