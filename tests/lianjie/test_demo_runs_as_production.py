"""`make run` serves the demo as production does (issue 15): DEBUG off, and the installation's own random
keys from var/keys.env, never a default from the source."""

import re
import subprocess

from django.conf import settings


def make_dry_run(target: str) -> list[str]:
    result = subprocess.run(["make", "-n", target], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True)
    return [
        line
        for line in result.stdout.splitlines()
        if ("manage.py" in line or "scripts/serve-with-worker" in line) and "compilemessages" not in line
    ]


def test_make_run_serves_with_debug_off_and_the_installations_keys():
    commands = make_dry_run("run")
    assert [re.search(r"(?:manage\.py |scripts/)([\w-]+)", line)[1] for line in commands] == [
        "migrate",
        "collectstatic",
        "seed_demo",
        "serve-with-worker",  # runserver, with a Celery worker and beat beside it
    ]
    for line in commands:
        assert ". ./var/keys.env" in line and "DEBUG=true" not in line, line


def test_debugging_is_a_separate_explicit_target():
    assert "DEBUG=true" in make_dry_run("debug")[-1]
