"""Yearly analysis reports: a real PDF in Chinese checked with pdftotext and pdffonts, no petitioner in
it, hostile entered text rendered as text with nothing fetched, versions kept, a redelivered job making
one version, drafted suggestions stating the right figures, staff edits used in the final build."""

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from audit.models import AuditEvent
from lianjie.celery import app
from reports import documents as reports
from reports.content import report_content
from reports.models import ReportBatch, ReportDraft, ReportVersion
from reports.tasks import build_report as build_report_task
from scoring.services import round_compute_results

from ..factories import TownshipFactory, VillageFactory
from ..inspection_helpers import finding
from ..petition_helpers import register
from ..scoring_helpers import fill_scores

CANARY = "甄举报人QX9"


def pdf_text(version: ReportVersion) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", version.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_township_report_reads_in_chinese_with_every_village_and_grade(cast, year_2025):
    register(cast, identity=CANARY, contact="13700001111", summary=f"{CANARY}反映的问题")
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    text = pdf_text(version)
    assert "路桥街道2025年度清廉指数分析报告" in text and "内部资料" in text
    for name, grade in [("石曲村", "A"), ("先进村", "A"), ("后进村", "C")]:
        row = next(line for line in text.splitlines() if line.strip().startswith(name))
        assert row.split()[1] == grade, row
    assert cast.village_b.name not in text  # another township's village
    assert CANARY not in text and "13700001111" not in text
    fonts = subprocess.run(["pdffonts", version.file.path], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and all(" yes yes " in line for line in fonts.splitlines()[2:] if line.strip())
    assert version.round_label == "2025 第1版" and len(version.data_checksum) == 64


def test_hostile_text_renders_as_text_and_fetches_nothing(cast, year_2025, monkeypatch):
    fetched = []
    monkeypatch.setattr(reports, "refuse_fetch", lambda url, *a, **k: fetched.append(url) or reports.FetchRefused(url))
    finding(cast, description='<script>alert(1)</script><img src="file:///etc/passwd">')
    hostile = '<script>alert(1)</script> <img src="file:///etc/passwd"> ' + "长" * 100_000
    ReportDraft.objects.create(
        district=cast.township_a.district,
        township=cast.township_a,
        year=2025,
        text=hostile,
        edited_by=cast.users["staff"],
    )
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    text = pdf_text(version)
    assert "<script>alert(1)</script>" in text and 'src="file:///etc/passwd"' in text
    assert fetched == []
    assert "root:x:0" not in text


def test_two_builds_keep_two_versions_and_a_repeated_job_one(cast, year_2025):
    first = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"], job_id="job-1")
    again = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"], job_id="job-1")
    second = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"], job_id="job-2")
    assert again.pk == first.pk
    assert [first.number, second.number] == [1, 2]
    assert Path(first.file.path).exists() and Path(second.file.path).exists()
    assert ReportVersion.objects.filter(township=cast.township_a, year=2025).count() == 2
    assert not list(Path(first.file.path).parent.glob(".*.tmp"))  # nothing half written left behind


def test_the_drafted_suggestions_state_the_figures(cast, year_2025):
    for due in (date(2025, 3, 1), date(2025, 4, 1)):
        finding(cast, found_on=date(2025, 1, 10), due_on=due)
    content = report_content(2025, cast.township_a)
    assert content.counts == {"A": 2, "B": 0, "C": 1} and content.villages == 3
    assert content.average == Decimal("87.17")  # (91 + 95.5 + 75) / 3
    texts = [item.problem for item in content.suggestions]
    assert "有1个村居为C类（占33.3%）。" in texts
    assert any("2个超过整改期限30天以上" in text for text in texts)
    weakest = content.suggestions[0]
    assert weakest.problem.startswith("“班子清廉”是得分率最低的类别")


def test_the_district_report_takes_the_same_queries_for_more_townships(cast, year_2025):
    def queries() -> tuple[int, object]:
        with CaptureQueriesContext(connection) as captured:
            content = report_content(2025, cast.township_a.district)
        return len(captured), content

    two_townships, _content = queries()
    round_ = year_2025
    for _ in range(3):
        township = TownshipFactory(district=cast.township_a.district)
        for total in ("70", "96"):
            fill_scores(round_, VillageFactory(township=township), total)
    round_.results.all().delete()  # a published round keeps its results' villages: computed afresh, it takes all
    round_compute_results(round_)
    five_townships, content = queries()
    assert five_townships == two_townships
    assert len(content.bottom) == 3 + 1 + 3 * 2  # every township's bottom three, or all it has


def test_staff_edits_are_kept_and_used_in_the_final_build(cast, year_2025, client_for):
    url = reverse("reports:text", args=[cast.township_a.code, 2025])
    page = client_for("staff").get(url)
    assert "有1个村居为C类" in page.content.decode()
    client_for("staff").post(url, {"text": "三资管理仍是薄弱环节，建议开展专项审计。"})
    assert (
        ReportDraft.objects.get(township=cast.township_a, year=2025).text == "三资管理仍是薄弱环节，建议开展专项审计。"
    )
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    assert "三资管理仍是薄弱环节，建议开展专项审计。" in pdf_text(version).replace(" ", "")
    assert client_for("secretary_a").get(url).status_code == 403


def test_downloads_are_scoped_and_audited(cast, year_2025, client_for):
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    district = reports.build_report(year=2025, district=cast.township_a.district, requested_by=cast.users["staff"])
    url = reverse("reports:download", args=[version.pk])
    assert client_for("secretary_b").get(url).status_code == 404
    assert client_for("secretary_a").get(url).status_code == 200
    assert client_for("secretary_a").get(reverse("reports:download", args=[district.pk])).status_code == 404
    assert AuditEvent.objects.filter(event_type="downloaded", target_id=str(version.pk)).exists()
    assert "路桥区2025年度清廉指数分析报告" in pdf_text(district)


# The jobs are queued when the batch commits: these run outside a test transaction, as a request does.
@pytest.mark.django_db(transaction=True)
def test_the_batch_builds_every_report_with_progress(cast, year_2025, client_for, monkeypatch):
    # The jobs run in process here, as without REDIS_URL; the services run has no worker for this test.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    response = client_for("staff").post(reverse("reports:build"), {"year": "2025"})
    assert response.status_code == 302
    batch = ReportVersion.objects.filter(year=2025).first().batch
    assert batch.total == 3 and batch.versions.count() == 3  # two townships and the district
    progress = client_for("staff").get(reverse("reports:progress", args=[batch.pk]))
    assert progress.status_code == 286 and "3" in progress.content.decode()


# The jobs are queued when the batch commits: these run outside a test transaction, as a request does.
@pytest.mark.django_db(transaction=True)
def test_jobs_that_could_not_be_queued_midway_are_named_in_the_batch(cast, year_2025, client_for, monkeypatch):
    queued = []

    def delay_until_redis_goes_away(*args):
        if queued:
            raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")
        queued.append(args)

    monkeypatch.setattr(build_report_task, "delay", delay_until_redis_goes_away)
    client = client_for("staff")
    response = client.post(reverse("reports:build"), {"year": "2025"}, follow=True)
    assert "报告任务无法排队（任务队列不可用），请稍后再试。" in response.content.decode()
    batch = ReportBatch.objects.get()
    assert batch.total == 3 and len(queued) == 1
    assert [failure["error"] for failure in batch.failures] == ["未能加入任务队列（任务队列不可用）"] * 2
    progress = client.get(reverse("reports:progress", args=[batch.pk]))
    assert progress.content.decode().count("未能加入任务队列") == 2  # the progress names them


# The jobs are queued when the batch commits: these run outside a test transaction, as a request does.
@pytest.mark.django_db(transaction=True)
def test_a_programming_error_while_queueing_is_not_taken_for_an_unreachable_queue(
    cast, year_2025, client_for, monkeypatch
):
    monkeypatch.setattr(build_report_task, "delay", lambda *args: (_ for _ in ()).throw(RuntimeError("a bug")))
    with pytest.raises(RuntimeError, match="a bug"):
        client_for("staff").post(reverse("reports:build"), {"year": "2025"})


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_job_delivered_twice_through_a_real_worker_leaves_one_complete_version(cast, year_2025):
    from celery.contrib.testing.worker import start_worker

    job = ("redelivered-job", 2025, cast.township_a.pk, cast.users["staff"].pk)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        first = build_report_task.delay(*job).get(timeout=120)
        # What a broker does when the worker that held the message died: it delivers the same job again.
        second = build_report_task.delay(*job).get(timeout=120)
    assert first == second
    version = ReportVersion.objects.get(job_id="redelivered-job")
    assert ReportVersion.objects.filter(township=cast.township_a, year=2025).count() == 1
    assert "内部资料" in pdf_text(version)
