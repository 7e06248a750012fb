"""The backup and restore drill of the README, for real: `pg_dump --format=custom` of a database holding
business data, audit events and an encrypted petitioner identity, `pg_restore` into a new database, and
the restored copy holds every row, verifies its audit chain with `verify_audit`, still refuses audit-row
updates, reads the identity with the same FIELD_ENCRYPTION_KEY (and not without it) and goes on working."""

import os
import re
import shutil
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory

from audit.models import AuditChainHead, AuditEvent, EventType
from audit.services import record_event
from villages.models import Village

from ..live_services import database_url
from ..petition_helpers import register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# As in the README: a custom-format archive restored all or nothing into a new, empty database.
DUMP = ("pg_dump", "--format=custom")
RESTORE = ("pg_restore", "--exit-on-error", "--single-transaction", "--no-owner")
IDENTITY = "柏恢复QZ3"
OTHER_KEY = "f" * 32


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install postgresql-client-15 (make test does)")
    return path


def pg_env(database: str) -> dict:
    """libpq's variables for the test server: the password never appears on a command line."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": database, "PGUSER": db["USER"], "PGPORT": str(db["PORT"] or 5432)}
    if db["HOST"]:
        env["PGHOST"] = db["HOST"]
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def pg(database: str, *argv: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [pg_tool(argv[0]), *argv[1:]], env=pg_env(database), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{' '.join(argv)}: {result.stderr}"
    return result


def pg_connect_args(database: str) -> dict:
    db = connection.settings_dict
    return {"dbname": database, "user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"]}


def manage(database: str, *argv: str, **env: str) -> subprocess.CompletedProcess:
    """A management command in its own process, as an operator runs it, against `database`."""
    return subprocess.run(
        [sys.executable, "manage.py", *argv],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lianjie.settings_test",
            "DATABASE_URL": database_url(database),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


READ_IDENTITY = """
from accounts.models import User
from petitions.models import Petition
from petitions.services import identity_read
petition = Petition.objects.get(pk={pk})
print("identity:", identity_read(petition=petition, acting_user=User.objects.get(username="petition")).name)
"""


def test_a_restored_dump_holds_every_row_and_an_intact_audit_chain(cast, tmp_path):
    # Business data, history and audit rows: the cast, a petition with an encrypted identity, and events
    # whose details, address and time must survive the round trip byte for byte (the chain hashes them).
    petition = register(cast, identity=IDENTITY, contact="13700000000")
    request = RequestFactory().get("/", REMOTE_ADDR="10.20.30.40")
    record_event(
        EventType.EXPORTED,
        actor=cast.users["staff"],
        request=request,
        target=cast.village_a,
        data={"rows": 3, "points": Decimal("12.50"), "period": date(2025, 6, 30), "file": "石曲村 体检单.xlsx"},
    )
    record_event(EventType.LOGIN_FAILED, username="无此用户", data={"reason": "bad password"})
    events = AuditEvent.objects.count()
    assert events == AuditChainHead.objects.get().seq and events > 5

    source = connection.settings_dict["NAME"]
    connection.ensure_connection()
    server_major = connection.pg_version // 10_000
    for tool in ("pg_dump", "pg_restore"):
        version = pg(source, tool, "--version").stdout
        tool_major = int(re.search(r"\(PostgreSQL\) (\d+)", version).group(1))
        # pg_dump refuses a newer server, and an archive is only read by a pg_restore as new as its pg_dump.
        assert tool_major >= server_major, f"{tool} {tool_major} is older than the server ({server_major})"

    restored = f"{source}_restored_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "lianjie.dump"
    pg(source, *DUMP, f"--file={dump}")
    assert "TABLE DATA public audit_auditevent" in pg(source, "pg_restore", "--list", str(dump)).stdout

    pg("postgres", "createdb", "--template=template0", "--encoding=UTF8", restored)
    try:
        pg("postgres", *RESTORE, f"--dbname={restored}", str(dump))

        # Every table, the migration record included, has the rows it had.
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            before = row_counts(cursor, tables)
        copy = psycopg2.connect(**pg_connect_args(restored))
        try:
            with copy.cursor() as cursor:
                assert row_counts(cursor, tables) == before
                cursor.execute(f'SELECT count(*) FROM "{Village._meta.db_table}"')
                assert cursor.fetchone()[0] == Village.objects.count() >= 2
            # The append-only trigger came back with the table.
            with pytest.raises(psycopg2.Error, match="append-only"), copy.cursor() as cursor:
                cursor.execute("UPDATE audit_auditevent SET actor_username = 'x'")
            copy.rollback()
        finally:
            copy.close()

        verified = manage(restored, "verify_audit")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert f"Audit chain intact: {events} rows verified." in verified.stdout

        # The chain's key belongs to the backup: under another key the same rows do not verify.
        rekeyed = manage(restored, "verify_audit", AUDIT_CHAIN_KEY="another-key-than-the-one-that-signed")
        assert rekeyed.returncode != 0 and "broken at row 1" in rekeyed.stderr

        # The identity reads back with the same FIELD_ENCRYPTION_KEY and never without it.
        read = manage(restored, "shell", "--no-imports", "-c", READ_IDENTITY.format(pk=petition.pk))
        assert read.returncode == 0 and f"identity: {IDENTITY}" in read.stdout, read.stderr
        lost_key = manage(
            restored,
            "shell",
            "--no-imports",
            "-c",
            READ_IDENTITY.format(pk=petition.pk),
            FIELD_ENCRYPTION_KEY=OTHER_KEY,
        )
        assert lost_key.returncode != 0 and "InvalidTag" in lost_key.stderr and IDENTITY not in lost_key.stdout

        # The restored copy goes on working: the read above appended to its chain (sequences restored).
        after = manage(restored, "verify_audit")
        assert f"Audit chain intact: {events + 1} rows verified." in after.stdout, after.stderr
    finally:
        pg("postgres", "dropdb", "--if-exists", "--force", restored)
