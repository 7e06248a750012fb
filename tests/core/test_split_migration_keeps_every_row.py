"""The star rating and the analysis reports left `scoring` for their own apps (`stars`, `reports`) with
state-only migrations: a deployment made before the move keeps every row. A PostgreSQL database of its
own is built at the schema of the commit before the move (its code, extracted with `git archive`), filled
with the demo data and a district report, then migrated by the current code: every table keeps its rows,
the content types and permissions follow the models, the audit chain still verifies and the new code reads
the moved rows (and the report's PDF)."""

import os
import secrets
import subprocess
import sys
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.db import connection
from psycopg2 import sql

from ..live_services import database_url

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
BEFORE_THE_SPLIT = "8d0dcaeb81aaec9a3cd5b5c1a2bf248320397458"
MOVED_APPS = ("stars", "reports")
# Fixed for the old and the new run alike: the audit chain is signed with AUDIT_CHAIN_KEY (SECRET_KEY by
# default) and petitioner identities are encrypted with FIELD_ENCRYPTION_KEY.
KEYS = {
    "SECRET_KEY": "split-migration-test-secret-key-3f9c1a7e5b2d4c6e8a0b1d3f5e7a9c2b",
    "FIELD_ENCRYPTION_KEY": "9c2b5e8a1d4f7b0c3e6a9d2f5b8c1e4a",
    "AUDIT_CHAIN_KEY": "split-migration-test-audit-chain-key-7d1e4b8a2c5f",
}
STEP_TIMEOUT = 900  # seconds; the old migrate and the demo seed take about 25 s each here

READ_MOVED_ROWS = """
from reports.models import ReportVersion
from stars.models import StarApplication
version = ReportVersion.objects.order_by("pk").first()
print("starapplication", StarApplication.objects.count())
print("historicalstarapplication", StarApplication.history.count())
print("reportversion", ReportVersion.objects.count())
print("historicalreportversion", ReportVersion.history.count())
print("report-file", int(version is not None and version.file.storage.exists(version.file.name)))
"""


@dataclass
class Split:
    before: dict[str, int]  # table -> rows, at the old schema with the demo data
    after: dict[str, int]  # the same after the current tree's migrate
    migrations_before: set[tuple[str, str]]
    migrations_after: set[tuple[str, str]]
    migrations_added_by_the_tree: set[tuple[str, str]]  # files in the current tree, not in the old one
    content_types_before: set[tuple[str, str]]
    content_types_after: set[tuple[str, str]]
    group_permissions_before: set[tuple[str, str]]  # (group, codename)
    group_permissions_after: set[tuple[str, str]]
    verify_audit: subprocess.CompletedProcess
    read_by_the_new_code: dict[str, int]


def connect(database: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=database, user=db["USER"], password=db["PASSWORD"], host=db["HOST"], port=db["PORT"] or 5432
    )


def old_tree(destination: Path) -> Path:
    """The code of the commit before the move, as `git archive` gives it."""
    present = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{BEFORE_THE_SPLIT}^{{commit}}"], capture_output=True
    )
    if present.returncode != 0:
        pytest.fail(
            f"Commit {BEFORE_THE_SPLIT} (the one before stars and reports left scoring) is not in the repository "
            f"at {ROOT}: a shallow clone? Fetch the history (git fetch --unshallow) to run this test."
        )
    destination.mkdir()
    archive = subprocess.Popen(["git", "-C", str(ROOT), "archive", BEFORE_THE_SPLIT], stdout=subprocess.PIPE)
    extracted = subprocess.run(["tar", "-x", "-C", str(destination)], stdin=archive.stdout, capture_output=True)
    archive.stdout.close()
    assert archive.wait() == 0 and extracted.returncode == 0, f"git archive | tar failed: {extracted.stderr}"
    return destination


def environment(database: str, data_dir: Path) -> dict:
    """What a management command of either tree needs: the throwaway database, fixed keys, no Redis (Celery
    eager, a local-memory cache) and the test settings (they read all of it from the environment)."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "PYTHONPATH")}
    return {
        **env,
        **KEYS,
        "DJANGO_SETTINGS_MODULE": "lianjie.settings_test",
        "DATABASE_URL": database_url(database),
        "DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "HTTPS": "false",
        "CONN_MAX_AGE": "0",
    }


def manage(tree: Path, env: dict, *argv: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=tree, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(argv)} in {tree} exited with {result.returncode}:\n"
        f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )
    return result


def row_counts(database: str) -> dict[str, int]:
    with closing(connect(database)) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def rows(database: str, query: str) -> set[tuple]:
    with closing(connect(database)) as db, db.cursor() as cursor:
        cursor.execute(query)
        return set(cursor.fetchall())


def migration_files(tree: Path) -> set[tuple[str, str]]:
    return {(path.parent.parent.name, path.stem) for path in tree.glob("*/migrations/[0-9]*.py")}


APPLIED = "SELECT app, name FROM django_migrations"
CONTENT_TYPES = "SELECT app_label, model FROM django_content_type"
GROUP_PERMISSIONS = """
SELECT g.name, p.codename FROM auth_group_permissions gp
JOIN auth_group g ON g.id = gp.group_id JOIN auth_permission p ON p.id = gp.permission_id
"""
LAST_PUBLISHED_YEAR = """
SELECT max(p.year) FROM scoring_period p JOIN scoring_round r ON r.period_id = p.id WHERE r.status = 'published'
"""


@pytest.fixture(scope="module")
def split() -> Split:
    return prepare_split()


def prepare_split() -> Split:
    with tempfile.TemporaryDirectory(prefix="lianjie-split-") as work:
        return prepare_split_in(Path(work))


def prepare_split_in(work: Path) -> Split:
    old = old_tree(work / "old")
    database = f"lianjie_split_{secrets.token_hex(4)}"
    data_dir = work / "data"
    data_dir.mkdir()
    env = environment(database, data_dir)

    maintenance = connect("postgres")
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(sql.Identifier(database)))
        try:
            # The old schema with the demo data, made by the old code (district size, two years: last
            # year's index published, star applications, petitions, inspections, audit events).
            manage(old, env, "migrate", "--no-input", "-v0")
            manage(old, env, "seed_demo", "--size", "district", "--years", "2", "--quiet")
            # One report version (and its PDF under DATA_DIR): the demo makes none.
            (year,) = next(iter(rows(database, LAST_PUBLISHED_YEAR)))
            assert year is not None, "the demo published no integrity index"
            manage(old, env, "build_reports", "--year", str(year), "--township", "district")

            before = row_counts(database)
            migrations_before = rows(database, APPLIED)
            content_types_before = rows(database, CONTENT_TYPES)
            group_permissions_before = rows(database, GROUP_PERMISSIONS)

            manage(ROOT, env, "migrate", "--no-input")

            after = row_counts(database)
            migrations_after = rows(database, APPLIED)
            content_types_after = rows(database, CONTENT_TYPES)
            group_permissions_after = rows(database, GROUP_PERMISSIONS)
            verified = manage(ROOT, env, "verify_audit")
            read = manage(ROOT, env, "shell", "--no-imports", "-c", READ_MOVED_ROWS).stdout
            return Split(
                before=before,
                after=after,
                migrations_before=migrations_before,
                migrations_after=migrations_after,
                migrations_added_by_the_tree=migration_files(ROOT) - migration_files(old),
                content_types_before=content_types_before,
                content_types_after=content_types_after,
                group_permissions_before=group_permissions_before,
                group_permissions_after=group_permissions_after,
                verify_audit=verified,
                read_by_the_new_code={name: int(value) for name, value in (line.split() for line in read.splitlines())},
            )
        finally:
            with maintenance.cursor() as cursor:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
    finally:
        maintenance.close()


def moved_models() -> dict[str, set[str]]:
    """The models (historical ones included) that moved to the new apps: they kept their `scoring_` tables;
    models the apps gained later have tables of their own."""
    return {
        app: {
            model._meta.model_name
            for model in apps.get_app_config(app).get_models()
            if model._meta.db_table.startswith("scoring_")
        }
        for app in MOVED_APPS
    }


VOCABULARIES_LOADED_BY_MIGRATIONS = {"villages_stationkind": 10, "villages_historicalstationkind": 10}
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "auth_group", "auth_group_permissions"}


def test_a_database_from_before_the_split_keeps_every_row_of_every_table(split):
    # The demo data holds what the moved models are about, else nothing would be proven.
    for table in (
        "scoring_starapplication",
        "scoring_historicalstarapplication",
        "scoring_reportversion",
        "petitions_petition",
        "inspections_finding",
        "audit_auditevent",
    ):
        assert split.before.get(table, 0) > 0, f"the seeded database has no rows in {table}"

    assert set(split.before) <= set(split.after), "the migration dropped tables"
    # The tables of models added since (a city, the 五个一, the city report…) start empty, but for the
    # vocabularies a data migration loads: the ten default kinds of station, each with its history row.
    created = {table: split.after[table] for table in set(split.after) - set(split.before)}
    loaded = {table: created.pop(table, None) for table in VOCABULARIES_LOADED_BY_MIGRATIONS}
    assert loaded == VOCABULARIES_LOADED_BY_MIGRATIONS
    assert created and set(created.values()) == {0}, f"new tables with rows: {created}"
    # Only the migration record grows: by the migrations the current tree added, nothing else.
    assert split.migrations_after - split.migrations_before == split.migrations_added_by_the_tree
    assert split.migrations_before <= split.migrations_after
    # Django's bookkeeping only grows, by the models and roles added since (city roles, cities' models).
    grown = {table: (split.before[table], split.after[table]) for table in BOOKKEEPING}
    assert all(before <= after for before, after in grown.values()), grown
    before = {table: count for table, count in split.before.items() if table not in BOOKKEEPING}
    after = {table: count for table, count in split.after.items() if table not in BOOKKEEPING}
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert not changed, f"row counts changed (before, after): {changed}"


def test_the_content_types_and_permissions_follow_the_moved_models(split):
    moved = moved_models()
    assert ("stars", "starapplication") in split.content_types_after
    assert ("reports", "reportversion") in split.content_types_after
    for app, models in moved.items():
        assert {("scoring", model) for model in models} <= split.content_types_before, f"{app}: not in scoring before"
        missing = {model for model in models if (app, model) not in split.content_types_after}
        assert not missing, f"no {app} content type for {sorted(missing)}"
        left = {model for model in models if ("scoring", model) in split.content_types_after}
        assert not left, f"content types still under scoring: {sorted(left)}"
    # The roles' groups hold the same permissions (e.g. the system administrator's over the star criteria).
    # ... and gain only permissions on models added since (the system administrator's over the cities).
    lost = split.group_permissions_before - split.group_permissions_after
    gained = split.group_permissions_after - split.group_permissions_before
    new_models = {model for _app, model in split.content_types_after - split.content_types_before}
    assert not lost, f"group permissions lost {sorted(lost)}"
    assert {codename.partition("_")[2] for _group, codename in gained} <= new_models, sorted(gained)


def test_the_audit_chain_still_verifies_after_the_split(split):
    assert split.verify_audit.returncode == 0
    assert f"Audit chain intact: {split.after['audit_auditevent']} rows verified." in split.verify_audit.stdout


def test_the_new_code_reads_the_moved_rows_and_the_report_file(split):
    read = split.read_by_the_new_code
    assert read["starapplication"] == split.after["scoring_starapplication"] > 0
    assert read["historicalstarapplication"] == split.after["scoring_historicalstarapplication"] > 0
    assert read["reportversion"] == split.after["scoring_reportversion"] > 0
    assert read["historicalreportversion"] == split.after["scoring_historicalreportversion"] > 0
    assert read["report-file"] == 1, "the report's PDF is not found through the moved model's storage"
