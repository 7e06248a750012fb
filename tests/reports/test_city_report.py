"""The city's yearly report (市纪委年度区县比较报告): a PDF per city and year built by the report machinery
(a Celery job, WeasyPrint, numbered versions, a file name with the version, the data's checksum, Chinese
fonts), with the county comparison and its ranks, a chart per figure, the best and the worst county per
figure and each county's 五个一; asked for by the city's staff, read by the city's staff and leader only.

The data: 路桥区's published 2025 index (year_2025: 91, 95.5, 75 and 85, average 86.62) and 黄岩区's (one
village at 88)."""

import re
import subprocess
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from accounts.models import Notice
from cities.models import CountyStep, Programme, Step
from lianjie.celery import app
from reports import documents as reports
from reports.city import city_report_content
from reports.models import CityReportVersion
from reports.tasks import build_city_report
from scoring.models import Round, VillageResult
from scoring.services import round_compute_results

from ..factories import CityFactory, DistrictFactory, UserFactory
from ..scoring_helpers import fill_scores, make_round


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: str) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def city(cast, second_county, year_2025):
    """台州市 with 路桥区's 2025 index and 黄岩区's, and a 五个一 programme: 路桥区's report done, the
    rest not started."""
    round_b = make_round("2025", status=Round.Status.PUBLISHED, district=cast.township_c.district)
    fill_scores(round_b, cast.village_c, "88")
    round_compute_results(round_b)
    taizhou = cast.township_a.district.city
    programme = Programme.objects.create(city=taizhou, year=2025, created_by=cast.users["city_staff"])
    for district in (cast.township_c.district, cast.township_a.district):
        for position, step in enumerate(Step.values, start=1):
            done = district == cast.township_a.district and step == Step.REPORT
            CountyStep.objects.create(
                programme=programme,
                district=district,
                step=step,
                position=position,
                due_on=date(2025, 12, 31),
                status=CountyStep.Status.DONE if done else CountyStep.Status.NOT_STARTED,
                done_on=date(2025, 4, 8) if done else None,
            )
    return taizhou


def test_the_city_report_compares_the_counties_with_ranks_charts_and_the_five_steps(cast, city):
    version = reports.build_city_report(year=2025, city=city, requested_by=cast.users["city_staff"])
    text = pdf_text(version.file.path)
    flat = squashed(text)
    assert "台州市2025年度清廉村居建设区县比较报告" in flat and "内部资料" in text
    lines = [squashed(line) for line in text.splitlines() if line.strip()]
    # The first comparison table: villages, A/B/C shares (%), average index, stars, 示范村; city ranks in
    # brackets (B is not ranked: more B is fewer A or fewer C).
    assert "黄岩区10.0（2）100.00.0（1）88.00（1）—0（1）" in lines
    assert "路桥区450.0（1）25.025.0（2）86.62（2）—0（1）" in lines
    # The second: petitions and 同比, rural petitions and 同比, listed cases struck off, findings rectified and
    # on time (none anywhere: no rate, no rank).
    assert "路桥区0（1）—0（1）————" in lines
    assert "平均清廉指数：全市最好为黄岩区（88.00），最差为路桥区（86.62）。" in flat
    assert "A类村居占比：全市最好为路桥区（50.0%），最差为黄岩区（0.0%）。" in flat
    # A chart per figure without a sign: its heading, and the counties' figures as bar labels.
    assert "平均清廉指数" in text and text.count("88.00") >= 2
    # 五个一: 路桥区 did its thematic report on 8 April; every other step is past its day (31 December 2025).
    assert "路桥区已完成（04-08）" + "未开始，逾期" * 4 + "1/50次0" in lines
    assert "黄岩区" + "未开始，逾期" * 5 + "0/50次0" in lines
    assert cast.village_c.name not in text and "石曲村" not in text  # counties, never villages
    fonts = subprocess.run(["pdffonts", version.file.path], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and all(" yes yes " in line for line in fonts.splitlines()[2:] if line.strip())
    assert len(version.data_checksum) == 64 and version.size > 0


def test_the_data_checksum_follows_the_data(cast, city):
    before = city_report_content(2025, city).checksum()
    assert city_report_content(2025, city).checksum() == before
    VillageResult.objects.filter(village=cast.village_c).update(total=Decimal("60.00"))  # 黄岩区 now averages 60
    assert city_report_content(2025, city).checksum() != before


def test_versions_are_numbered_per_city_and_year_and_a_repeated_job_makes_one(cast, city):
    staff = cast.users["city_staff"]
    first = reports.build_city_report(year=2025, city=city, requested_by=staff, job_id="city-1")
    again = reports.build_city_report(year=2025, city=city, requested_by=staff, job_id="city-1")
    second = reports.build_city_report(year=2025, city=city, requested_by=staff, job_id="city-2")
    other_year = reports.build_city_report(year=2024, city=city, requested_by=staff)
    shaoxing = CityFactory(code="3306", name="绍兴市")
    DistrictFactory(code="330602", name="越城区", city=shaoxing)
    other_city = reports.build_city_report(year=2025, city=shaoxing, requested_by=staff)
    assert again.pk == first.pk
    assert [first.number, second.number, other_year.number, other_city.number] == [1, 2, 1, 1]
    assert CityReportVersion.objects.count() == 4


def test_the_job_tells_the_city_staff_who_asked_and_nobody_else(cast, city):
    path = build_city_report("city-job", 2025, city.pk, cast.users["city_staff"].pk)
    version = CityReportVersion.objects.get(job_id="city-job")
    assert path == version.file.path
    notice = Notice.objects.get()
    assert notice.user == cast.users["city_staff"]
    assert notice.text == "台州市2025年度区县比较报告已生成（第1版）。"
    assert notice.link == reverse("reports:city") + "?year=2025"


def test_the_city_staff_ask_for_the_report_and_the_leader_downloads_it(
    cast, city, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    staff = client_for("city_staff")
    with_pages = staff.get(reverse("reports:city"), {"year": "2025"}).content.decode()
    assert 'action="/reports/city/build"' in with_pages
    # The job runs in process here, as without REDIS_URL; the services run has no worker for this test.
    monkeypatch.setattr("reports.services._check_the_queue", lambda: None)
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("reports:city_build"), {"year": "2025"})
    assert response.status_code == 302
    version = CityReportVersion.objects.get()
    assert (version.city, version.year, version.number, version.requested_by) == (
        city,
        2025,
        1,
        cast.users["city_staff"],
    )
    leader = client_for("city_leader")
    page = leader.get(reverse("reports:city"), {"year": "2025"}).content.decode()
    assert "台州市 2025年度区县比较报告" in page and 'action="/reports/city/build"' not in page
    download = leader.get(reverse("reports:city_download", args=[version.pk]))
    assert download.status_code == 200
    filename = download["Content-Disposition"].removeprefix("attachment; filename*=utf-8''")
    assert filename.startswith(quote("台州市 2025年度区县比较报告 · "))
    assert filename.endswith(quote(" 第1版.pdf"))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert leader.post(reverse("reports:city_build"), {"year": "2025"}).status_code == 403


def test_county_users_get_403_and_another_city_404_on_the_city_report(cast, city, client_for):
    version = reports.build_city_report(year=2025, city=city, requested_by=cast.users["city_staff"])
    url = reverse("reports:city_download", args=[version.pk])
    for name in ("staff", "leader", "staff_b", "secretary_a"):
        assert client_for(name).get(url).status_code == 403, name
        assert client_for(name).get(reverse("reports:city")).status_code == 403, name
    assert client_for("staff").post(reverse("reports:city_build"), {"year": "2025"}).status_code == 403
    shaoxing = CityFactory(code="3306", name="绍兴市")
    cast.users["shaoxing"] = UserFactory(username="shaoxing", role="city_leader", city=shaoxing)
    other = client_for("shaoxing")
    assert other.get(url).status_code == 404
    assert "台州市" not in other.get(reverse("reports:city"), {"year": "2025"}).content.decode()
