"""`manage.py benchmark [--json]`: the figures of DESIGN.md section 10 that exist so far, measured side by
side in one run on city-size data (绍兴市: six counties, 2,195 villages, each county's people bound to it)
seeded in a throwaway test database."""

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
        "Measure the figures of DESIGN.md section 10 (import_ratio, secretary_list_queries, "
        "county_staff_list_queries, public_index_queries, public_counties_queries, public_index_ratio, "
        "public_index_uncached_ratio, report_ratio, reports_all_seconds, report_worker_rss_mb) on city-size "
        "data, users bound to their counties, in a throwaway database; --json prints one JSON object."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print one JSON object.")
        parser.add_argument("--runs", type=int, default=RUNS, help="Repetitions per timing (median reported).")

    def handle(self, *args, as_json: bool, runs: int, **options) -> None:
        # The throwaway database is test_<the database's name>, whatever TEST NAME says: run from a test,
        # the database is the test database, whose TEST NAME is its own name (pytest-xdist's workers), and
        # setting up "again" would drop the test's own database.
        test_settings = connection.settings_dict["TEST"]
        configured_test_name, test_settings["NAME"] = test_settings.get("NAME"), None
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
            test_settings["NAME"] = configured_test_name
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
        self.seed()
        figures = self.import_ratio(runs)
        publish_benchmark_rounds()
        figures.update(self.list_queries())
        figures.update(self.public_queries())
        figures.update(self.public_index(runs))
        figures.update(self.reports(runs))
        return figures

    def seed(self) -> None:
        """City-size data: 绍兴市's counties with their townships and villages, the demo logins bound to
        their units, and each county's index round of the benchmark year (a complete draft) entered by the
        county's people."""
        from accounts.demo import seed_demo_users
        from scoring.demo import seed_index
        from villages.demo import seed_places

        places = seed_places("city")
        users = seed_demo_users(counties=places.counties, city=places.city)
        for cast in users.counties:
            seed_index(
                district=cast.county, years=1, leader=cast.leader, today=django_today().replace(year=BENCHMARK_YEAR)
            )

    def import_ratio(self, runs: int) -> dict:
        """Every village of the city (2,195) imported from xlsx, each county's sheet by its own staff into
        its own round (a round scores one county), against reading the same sheets with openpyxl and
        bulk-creating the same rows; each timing the sum over the counties."""
        from accounts.models import User
        from scoring.exporter import score_sheet
        from scoring.importer import apply_import
        from scoring.models import Indicator, Period, Round, Score
        from villages.models import Village

        template_rounds = list(Round.objects.filter(period__year=BENCHMARK_YEAR).select_related("period__district"))
        sheets = []
        for template_round in template_rounds:
            county = template_round.period.district
            villages = list(Village.objects.filter(active=True, township__district=county).order_by("code"))
            staff = User.objects.get(username=f"staff-{county.code}")
            sheets.append((county, staff, villages, _with_new_points(score_sheet(template_round, villages))))
        scheme = template_rounds[0].period.scheme
        indicators = list(Indicator.objects.filter(scheme=scheme))
        importer, baseline = [], []
        for run in range(runs):
            imported = bare = 0.0
            for county, staff, villages, data in sheets:
                period = Period.objects.create(
                    district=county, code=str(2040 + 2 * run), year=2040 + 2 * run, scheme=scheme
                )
                round_ = Round.objects.create(period=period)
                started = time.perf_counter()
                preview = apply_import(round_, data, "benchmark.xlsx", acting_user=staff)
                imported += time.perf_counter() - started
                assert preview.ok, preview.errors[:3]

                bare_period = Period.objects.create(
                    district=county, code=str(2041 + 2 * run), year=2041 + 2 * run, scheme=scheme
                )
                bare_round = Round.objects.create(period=bare_period)
                by_code = {village.code: village for village in villages}
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
                bare += time.perf_counter() - started
            importer.append(imported)
            baseline.append(bare)
        return {
            "import_seconds": round(statistics.median(importer), 2),
            "import_baseline_seconds": round(statistics.median(baseline), 2),
            "import_ratio": round(statistics.median(importer) / statistics.median(baseline), 2),
            "import_rows": sum(len(villages) for _county, _staff, villages, _data in sheets),
        }

    def list_queries(self) -> dict:
        """Queries of the result list (/scoring/) for a township secretary and for the staff of the county
        with the most villages, users bound to their units at city size."""
        from accounts.models import User

        return {
            "secretary_list_queries": _page_queries(
                User.objects.filter(username__startswith="secretary-").order_by("username").first(), "/scoring/"
            ),
            "county_staff_list_queries": _page_queries(
                User.objects.get(username=f"staff-{largest_county_code()}"), "/scoring/"
            ),
        }

    def public_queries(self) -> dict:
        """Queries, with the cache off, of the public index of the county with the most villages (a city's
        `/` names its county: `/?county=<code>`) and of `/` itself, which lists each county's latest index."""
        counts = {}
        urls = override_settings(ROOT_URLCONF="lianjie.benchmark_urls", CACHES=DUMMY_CACHE)
        for key, url in (("public_index_queries", public_index_url()), ("public_counties_queries", "/")):
            with urls, CaptureQueriesContext(connection) as queries:
                assert Client().get(url).status_code == 200
            counts[key] = len(queries)
        return counts

    def public_index(self, runs: int) -> dict:
        """The throughput of the county's public index against a trivial view through the same WSGI handler
        and middleware, with the page cache on and off; medians of `runs`."""
        from django.core.cache import caches

        url = public_index_url()
        with override_settings(ROOT_URLCONF="lianjie.benchmark_urls"):
            client = Client()
            with override_settings(CACHES=DUMMY_CACHE):
                uncached = [_throughput(client, url) for _ in range(runs)]
            caches["public_pages"].clear()
            client.get(url)  # fill the page cache
            trivial = [_throughput(client, "/benchmark/trivial") for _ in range(runs)]
            cached = [_throughput(client, url) for _ in range(runs)]
        trivial_rps = statistics.median(trivial)
        return {
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

        township = Township.objects.select_related("district").order_by("code")[0]
        staff = User.objects.get(username=f"staff-{township.district.code}")
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


def largest_county_code() -> str:
    """The code of the county with the most villages (the first of equals): the heaviest lists."""
    from django.db.models import Count

    from villages.models import District

    counties = District.objects.annotate(villages=Count("townships__villages")).order_by("-villages", "code")
    return counties.values_list("code", flat=True)[0]


def public_index_url() -> str:
    return f"/?county={largest_county_code()}"


def publish_benchmark_rounds() -> None:
    """Every county's draft round of the benchmark year, computed and published (as its leader would)."""
    from scoring.models import Round
    from scoring.services import round_compute_results

    for round_ in Round.objects.filter(period__year=BENCHMARK_YEAR).exclude(status=Round.Status.PUBLISHED):
        round_compute_results(round_)
        Round.objects.filter(pk=round_.pk).update(status=Round.Status.PUBLISHED)


def _page_queries(user, url: str) -> int:
    """SQL queries of one page for a signed-in user (with the second factor verified where the role needs
    one), once the session's caches are warm."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    if user.needs_second_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(confirmed=True).persistent_id
        session.save()
    client.get(url)  # warm the caches a real session would have
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _build_one(code: str) -> int:
    """A worker process's job: one township's report of the benchmark year (1 when built)."""
    from accounts.models import User
    from reports.documents import build_report
    from villages.models import Township

    build_report(
        year=BENCHMARK_YEAR,
        township=Township.objects.get(code=code),
        requested_by=User.objects.get(username=f"staff-{code[:6]}"),
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
