"""Reports per county (issue 18): a county's staff build and edit their own county's reports only, read
only their own county's, and get 404 on another county's report, batch, progress and text, as on a
missing one; the city's roles read every county's reports of their city, with a county filter, and build
none; two counties' batches never disturb each other; a batch's notice goes to its county's staff only.

The cast: 路桥区 (331004) with 路桥街道 and 路南街道, 黄岩区 (331003) with 东城街道 (second_county); the
published 2025 index (year_2025) gets 黄岩区's village too, at 88."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from lianjie.celery import app
from reports import documents as reports
from reports.models import ReportBatch, ReportDraft, ReportVersion
from reports.selectors import batch_progress, years_to_report
from scoring.models import Round
from scoring.services import round_compute_results

from ..factories import CityFactory, DistrictFactory, UserFactory
from ..scoring_helpers import fill_scores, make_round

LINK = re.compile(r'<a class="report-link" href="[^"]+">([^<]+)</a>')


@pytest.fixture
def two_counties(cast, second_county, year_2025):
    """路桥区's published 2025 index (year_2025), and 黄岩区's: its canary village at 88."""
    round_b = make_round("2025", status=Round.Status.PUBLISHED, district=cast.township_c.district)
    fill_scores(round_b, cast.village_c, "88")
    round_compute_results(round_b)
    return cast


def county_a_report(cast) -> ReportVersion:
    return reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])


def test_another_countys_staff_get_404_on_the_report_its_batch_progress_and_text(two_counties, client_for):
    cast = two_counties
    version = county_a_report(cast)
    batch = ReportBatch.objects.create(
        district=cast.township_a.district, year=2025, total=3, requested_by=cast.users["staff"]
    )
    staff_b = client_for("staff_b")
    assert staff_b.get(reverse("reports:download", args=[version.pk])).status_code == 404
    assert client_for("leader_b").get(reverse("reports:download", args=[version.pk])).status_code == 404
    assert staff_b.get(reverse("reports:progress", args=[batch.pk])).status_code == 404
    text = reverse("reports:text", args=[cast.township_a.code, 2025])
    assert staff_b.get(text).status_code == 404
    assert staff_b.post(text, {"text": "越权修改"}).status_code == 404
    assert not ReportDraft.objects.exists()
    # Their own county's are theirs: 东城街道's text and the county's summary.
    own = staff_b.get(reverse("reports:text", args=[cast.township_c.code, 2025])).content.decode()
    assert "东城街道2025年度清廉指数分析报告" in own
    summary = staff_b.get(reverse("reports:text", args=["district", 2025])).content.decode()
    assert "黄岩区2025年度清廉指数分析报告" in summary
    assert client_for("staff").get(reverse("reports:download", args=[version.pk])).status_code == 200


def test_a_countys_list_shows_its_own_townships_and_reports_only(two_counties, client_for):
    cast = two_counties
    county_a_report(cast)
    own_b = reports.build_report(year=2025, township=cast.township_c, requested_by=cast.users["staff_b"])
    page = client_for("staff_b").get(reverse("reports:list"), {"year": "2025"}).content.decode()
    assert LINK.findall(page) == [f"东城街道 2025年度分析报告 · {timezone.localdate(own_b.built_at):%Y-%m-%d} 版"]
    assert "路桥街道" not in page and "路南街道" not in page and "黄岩区汇总" in page
    page_a = client_for("leader").get(reverse("reports:list"), {"year": "2025"}).content.decode()
    assert "东城街道" not in page_a and [title.split()[0] for title in LINK.findall(page_a)] == ["路桥街道"]


# The jobs are queued when the batch commits: these run outside a test transaction, as a request does.
@pytest.mark.django_db(transaction=True)
def test_the_second_countys_build_builds_its_own_townships_and_summary_only(two_counties, client_for, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    cast = two_counties
    response = client_for("staff_b").post(reverse("reports:build"), {"year": "2025"})
    assert response.status_code == 302
    batch = ReportBatch.objects.get()
    assert (batch.district.name, batch.total) == ("黄岩区", 2)
    built = sorted((v.district.name, v.township.name if v.township else "") for v in ReportVersion.objects.all())
    assert built == [("黄岩区", ""), ("黄岩区", "东城街道")]
    progress = client_for("staff_b").get(reverse("reports:progress", args=[batch.pk]))
    assert progress.status_code == 286 and "已生成2份，共2份" in progress.content.decode()
    # Its notice goes to the staff member of 黄岩区 who asked, and to no one of 路桥区.
    assert list(Notice.objects.values_list("user__username", flat=True)) == ["staff_b"]
    # 路桥区's reports of 2025 are still to build; 黄岩区's are done.
    assert [year.year for year in years_to_report(cast.township_a.district_id)] == [2025]
    assert years_to_report(cast.township_c.district_id) == []


def test_a_stalled_batch_of_one_county_leaves_the_other_countys_alone(two_counties):
    cast = two_counties
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120)
    stalled = ReportBatch.objects.create(
        district=cast.township_a.district, year=2025, total=3, requested_by=cast.users["staff"]
    )
    ReportBatch.objects.filter(pk=stalled.pk).update(requested_at=long_ago)
    running = ReportBatch.objects.create(
        district=cast.township_c.district, year=2025, total=2, requested_by=cast.users["staff_b"]
    )
    reports.build_report(
        year=2025, township=cast.township_c, requested_by=cast.users["staff_b"], batch=running, job_id="b-1"
    )
    stalled.refresh_from_db()
    assert (batch_progress(stalled).built, batch_progress(stalled).stalled) == (0, True)
    assert (batch_progress(running).built, batch_progress(running).stalled) == (1, False)
    assert [(y.year, y.stalled) for y in years_to_report(cast.township_a.district_id)] == [(2025, True)]
    assert years_to_report(cast.township_c.district_id) == []  # its batch runs on


def test_a_finished_batch_tells_the_countys_staff_when_the_one_who_asked_has_moved(two_counties):
    cast = two_counties
    moved = UserFactory(username="moved", role="commission_staff", district=cast.township_a.district)
    batch = ReportBatch.objects.create(district=cast.township_a.district, year=2025, total=1, requested_by=moved)
    moved.district = cast.township_c.district
    moved.save()
    reports.build_report(
        year=2025, district=cast.township_a.district, requested_by=cast.users["staff"], batch=batch, job_id="a-1"
    )
    assert reports.report_batch_finish(batch_id=batch.pk)
    assert list(Notice.objects.values_list("user__username", flat=True)) == ["staff"]


def test_the_city_reads_every_countys_reports_with_a_county_filter_and_builds_none(two_counties, client_for):
    cast = two_counties
    version = county_a_report(cast)
    summary_b = reports.build_report(year=2025, district=cast.township_c.district, requested_by=cast.users["staff_b"])
    city = client_for("city_leader")
    first = city.get(reverse("reports:list"), {"year": "2025"}).content.decode()
    # The city's counties in code order: 黄岩区 (331003) first, then 路桥区 (331004).
    assert re.findall(r'<option value="(\d+)"', first) == ["331003", "331004"]
    assert [title.split()[0] for title in LINK.findall(first)] == ["黄岩区"]
    assert "东城街道" in first and "路桥街道" not in first and "reports:build" not in first
    assert 'action="/reports/build"' not in first
    county_a = city.get(reverse("reports:list"), {"year": "2025", "county": "331004"}).content.decode()
    assert [title.split()[0] for title in LINK.findall(county_a)] == ["路桥街道"]
    assert "路南街道" in county_a and "东城街道" not in county_a
    assert city.get(reverse("reports:download", args=[version.pk])).status_code == 200
    assert city.get(reverse("reports:download", args=[summary_b.pk])).status_code == 200
    assert city.get(reverse("reports:list"), {"county": "330602"}).status_code == 404  # not a county of 台州市
    assert city.post(reverse("reports:build"), {"year": "2025"}).status_code == 403
    assert city.get(reverse("reports:text", args=[cast.township_a.code, 2025])).status_code == 403


def test_another_citys_roles_read_none_of_the_citys_reports(two_counties, client_for):
    cast = two_counties
    version = county_a_report(cast)
    shaoxing = DistrictFactory(code="330602", name="越城区", city=CityFactory(code="3306", name="绍兴市"))
    cast.users["city_other"] = UserFactory(username="city_other", role="city_leader", city=shaoxing.city)
    other = client_for("city_other")
    assert other.get(reverse("reports:download", args=[version.pk])).status_code == 404
    page = other.get(reverse("reports:list"), {"year": "2025"}).content.decode()
    assert "越城区" in page and "路桥街道" not in page and "东城街道" not in page


def test_build_reports_builds_one_countys_reports_with_county(two_counties, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the services run has no worker for this test
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    cast = two_counties
    out = StringIO()
    call_command("build_reports", "--year", "2025", "--county", "331003", stdout=out)
    assert [line.split("\t")[0] for line in out.getvalue().splitlines()] == ["东城街道", "黄岩区"]
    assert sorted(ReportVersion.objects.values_list("district__name", flat=True)) == ["黄岩区", "黄岩区"]
    assert ReportVersion.objects.get(township=None).requested_by == cast.users["staff_b"]
