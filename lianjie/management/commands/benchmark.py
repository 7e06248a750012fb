"""`manage.py benchmark [--json]`: the figures of DESIGN.md section 10 that exist so far, measured side by
side in one run on city-size data (2,195 villages) seeded in a throwaway test database."""

import gc
import io
import json
import os
import platform
import random
import shutil
import statistics
import tempfile
import time

import django
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_databases, teardown_databases
from openpyxl import load_workbook

RUNS = 3
# No collectstatic before a benchmark: the pages find their files without the manifest.
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


class Command(BaseCommand):
    help = (
        "Measure the figures of DESIGN.md section 10 (import_ratio, secretary_list_queries, public_index_queries, "
        "public_index_ratio, public_index_uncached_ratio, report_ratio, reports_all_seconds, "
        "report_worker_rss_mb) on city-size data in a throwaway database; --json prints one JSON object."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument("--runs", type=int, default=RUNS, help="Repetitions per timing (median reported).")

    def handle(self, *args, as_json: bool, runs: int, **options) -> None:
        old_config = setup_databases(verbosity=0, interactive=False)
        files = tempfile.mkdtemp(prefix="lianjie-benchmark-")  # the reports' PDFs, thrown away after
        try:
            storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_STORAGE}}
            with override_settings(
                ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False, STORAGES=storages, MEDIA_ROOT=files
            ):
                figures = self.measure(runs)
        finally:
            teardown_databases(old_config, verbosity=0)
            shutil.rmtree(files, ignore_errors=True)
        figures["cpu_count"] = os.cpu_count()
        figures["versions"] = {
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": connection.vendor,
        }
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:<28} {value}")

    def measure(self, runs: int) -> dict:
        from accounts.demo import seed_demo_users
        from scoring.demo import seed_index
        from villages.demo import seed_places
        from villages.models import Township

        seed_places("city")
        seed_demo_users(Township.objects.all())
        seed_index(years=1, today=django_today().replace(year=2030))
        figures = {**self.import_ratio(runs), "secretary_list_queries": self.secretary_list_queries()}
        figures.update(self.public_index(runs))
        figures.update(self.reports(runs))
        return figures

    def import_ratio(self, runs: int) -> dict:
        from accounts.models import User
        from scoring.exporter import score_sheet
        from scoring.importer import apply_import
        from scoring.models import Indicator, Period, Round, Score
        from villages.models import Village

        staff = User.objects.get(username="staff")
        villages = list(Village.objects.filter(active=True).order_by("code"))
        template_round = Round.objects.get(period__code="2030")
        data = _with_new_points(score_sheet(template_round, villages))
        indicators = list(Indicator.objects.filter(scheme=template_round.period.scheme))
        by_code = {village.code: village for village in villages}
        importer, baseline = [], []
        for run in range(runs):
            period = Period.objects.create(
                code=str(2040 + 2 * run), year=2040 + 2 * run, scheme=template_round.period.scheme
            )
            round_ = Round.objects.create(period=period)
            started = time.perf_counter()
            preview = apply_import(round_, data, "benchmark.xlsx", acting_user=staff)
            importer.append(time.perf_counter() - started)
            assert preview.ok, preview.errors[:3]

            bare_period = Period.objects.create(code=str(2041 + 2 * run), year=2041 + 2 * run, scheme=period.scheme)
            bare_round = Round.objects.create(period=bare_period)
            started = time.perf_counter()
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            next(rows)
            Score.objects.bulk_create(
                [
                    Score(
                        round=bare_round,
                        village=by_code[str(row[0])],
                        indicator=indicator,
                        points=row[2 + 2 * i],
                        reason=row[3 + 2 * i] or "",
                    )
                    for row in rows
                    for i, indicator in enumerate(indicators)
                ],
                batch_size=2000,
            )
            baseline.append(time.perf_counter() - started)
        return {
            "import_seconds": round(statistics.median(importer), 2),
            "import_baseline_seconds": round(statistics.median(baseline), 2),
            "import_ratio": round(statistics.median(importer) / statistics.median(baseline), 2),
            "import_rows": len(villages),
        }

    def secretary_list_queries(self) -> int:
        from accounts.models import User
        from scoring.models import Round
        from scoring.services import round_compute_results

        round_ = Round.objects.get(period__code="2030")
        round_compute_results(round_)
        Round.objects.filter(pk=round_.pk).update(status=Round.Status.PUBLISHED)
        secretary = User.objects.filter(username__startswith="secretary-3306").first()
        client = Client()
        client.force_login(secretary)
        client.get("/scoring/")  # warm the caches a real session would have
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/scoring/")
        assert response.status_code == 200, response.status_code
        return len(queries)

    def public_index(self, runs: int) -> dict:
        """Queries of `/` at city size (cache off), and its throughput against a trivial view through the
        same WSGI handler and middleware, with the page cache on and off; medians of `runs`."""
        from django.core.cache import caches

        with override_settings(ROOT_URLCONF="lianjie.benchmark_urls"):
            client = Client()
            with override_settings(CACHES=DUMMY_CACHE):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get("/").status_code == 200
                public_queries = len(queries)
                uncached = [_throughput(client, "/") for _ in range(runs)]
            caches["public_pages"].clear()
            client.get("/")  # fill the page cache
            trivial = [_throughput(client, "/benchmark/trivial") for _ in range(runs)]
            cached = [_throughput(client, "/") for _ in range(runs)]
        trivial_rps = statistics.median(trivial)
        return {
            "public_index_queries": public_queries,
            "trivial_view_rps": round(trivial_rps),
            "public_index_rps": round(statistics.median(cached)),
            "public_index_uncached_rps": round(statistics.median(uncached), 1),
            "public_index_ratio": round(statistics.median(cached) / trivial_rps, 2),
            "public_index_uncached_ratio": round(statistics.median(uncached) / trivial_rps, 3),
        }

    def reports(self, runs: int) -> dict:
        """One township's report against WeasyPrint laying out the same finished HTML; then every city
        township's report built by two worker processes (forked here, as a prefork Celery worker does),
        with their peak memory."""
        import resource
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        from accounts.models import User
        from reports.content import report_content
        from reports.documents import build_report, render_pdf, report_html, suggestions_text
        from villages.models import Township

        staff = User.objects.get(username="staff")
        township = Township.objects.order_by("code").first()
        whole, layout = [], []
        for _ in range(runs):
            gc.collect()  # neither timing pays for the garbage of the one before
            started = time.perf_counter()
            build_report(year=BENCHMARK_YEAR, township=township, requested_by=staff)
            whole.append(time.perf_counter() - started)
            html = report_html(
                content := report_content(BENCHMARK_YEAR, township),
                suggestions_text(content, township, BENCHMARK_YEAR),
            )
            gc.collect()
            started = time.perf_counter()
            render_pdf(html)
            layout.append(time.perf_counter() - started)
        codes = list(Township.objects.order_by("code").values_list("code", flat=True))
        if connection.vendor != "sqlite":
            connections.close_all()  # each forked worker opens its own connection (an in-memory SQLite is copied)
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("fork")) as pool:
            built = list(pool.map(_build_one, codes, chunksize=4))
        all_seconds = time.perf_counter() - started
        return {
            "report_seconds": round(statistics.median(whole), 2),
            "report_layout_seconds": round(statistics.median(layout), 2),
            "report_ratio": round(statistics.median(whole) / statistics.median(layout), 2),
            "reports_all_seconds": round(all_seconds, 1),
            "reports_all_count": sum(built),
            "report_worker_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        }


BENCHMARK_YEAR = 2030


def _build_one(code: str) -> int:
    """A worker process's job: one township's report of the benchmark year (1 when built)."""
    from accounts.models import User
    from reports.documents import build_report
    from villages.models import Township

    build_report(
        year=BENCHMARK_YEAR, township=Township.objects.get(code=code), requested_by=User.objects.get(username="staff")
    )
    if connection.vendor != "sqlite":
        connections.close_all()  # a worker leaves no session behind on the throwaway database
    return 1


DUMMY_CACHE = {name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "public_pages")}
THROUGHPUT_SECONDS = 2.0


def _throughput(client: Client, url: str) -> float:
    """Requests per second answered by the in-process WSGI handler over about two seconds."""
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < THROUGHPUT_SECONDS:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        count += 1
    return count / elapsed


def django_today():
    from django.utils import timezone

    return timezone.localdate()


def _with_new_points(data: bytes) -> bytes:
    """The exported sheet with every indicator given new points and a new reason, so that every cell is
    written (a deduction needs its reason; full marks clear it)."""
    from openpyxl import Workbook

    source = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rng = random.Random("benchmark")
    workbook = Workbook()
    sheet = workbook.active
    rows = source.iter_rows(values_only=True)
    sheet.append(list(next(rows)))
    for number, row in enumerate(rows, start=2):
        cells = []
        for value in row[2::2]:
            cells += [max(0, float(value or 0) - rng.choice([0, 0.5, 1])), f"抽查发现问题（第{number}行）"]
        sheet.append([row[0], row[1], *cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
