"""Two counties of one city, each with work in every app: an index published and one being entered, a star
application, an inspection finding, a petition, a report, the city's 五个一 and a 督促检查 problem. Every
page, list, figure and export that a county's people can open (without naming an object) is read, plainly
and with the other county's code, township and village slipped into the query string; not one of them
shows a name or a text of the other county. The per-object URLs (404 for another county) are the
authorization matrix's; the public site, which shows every county, is the public tests'."""

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from cities import services as city_services
from cities.models import CountyStep, Step
from reports.models import ReportBatch, ReportVersion
from scoring.models import Round
from scoring.services import round_compute_results

from ..inspection_helpers import finding, inspection
from ..petition_helpers import register
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import decided, secretary_of
from .test_authorization_matrix import all_url_names

# What names the first county (路桥区) and what names the second (黄岩区): its places and its records' texts.
LUQIAO = ("路桥", "石曲村", "路南街道", "CANARY-金丝雀村")
HUANGYAN = ("黄岩", "东城街道")
# Arguments that name an object: those URLs are the matrix's (another county's object is a 404 there).
OBJECT_ARGUMENTS = {"pk", "id", "object_id", "history_id", "user_id", "pairing_id", "content_type_id"}
SKIPPED_NAMESPACES = ("admin:", "<admin/", "public:", "djdt:")


@dataclass
class County:
    users: tuple[str, ...]  # the cast's logins of the county
    township: object
    village: object
    marks: tuple[str, ...]  # what names it


def _work(cast, *, village, staff: str, label: str) -> None:
    """The county's work in every app, each text carrying the county's name (`label`)."""
    district = village.township.district
    published = make_round("2025", status=Round.Status.PUBLISHED, district=district)
    fill_scores(published, village, "85")
    round_compute_results(published)
    fill_scores(make_round("2026", district=district), village, "90")
    decided(cast, 2, village=village, total="75")
    secretary = secretary_of(cast, village).username
    round_ = inspection(cast, villages=[village], name=f"{label}2025年巡察", by=staff)
    finding(cast, round_, village=village, owner=secretary, by=staff, description=f"{label}坐收坐支")
    register(
        cast,
        identity=f"{label}信访人",
        township=village.township,
        village=village,
        summary=f"反映{label}山林承包款",
        by="petition" if staff == "staff" else "petition_b",
    )
    batch = ReportBatch.objects.create(district=district, year=2025, total=1, requested_by=cast.users[staff])
    ReportVersion.objects.create(
        district=district,
        township=village.township,
        year=2025,
        number=1,
        job_id=f"canary-{district.code}",
        batch=batch,
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        size=15,
        round_label="2025 第1版",
        data_checksum="0" * 64,
        requested_by=cast.users[staff],
        seconds=1,
    )
    step = CountyStep.objects.get(district=district, step=Step.REPORT)
    city_services.progress_record(step=step, progress=f"{label}专题汇报", acting_user=cast.users[staff])
    city_services.visit_record(
        programme=step.programme,
        district=district,
        visited_on=date(2025, 6, 1),
        checked=f"查阅{label}台账",
        problems=[{"description": f"{label}台账不全", "due_on": date(2025, 7, 1)}],
        acting_user=cast.users["city_staff"],
    )


@pytest.fixture
def counties(second_county) -> tuple[County, County]:
    cast = second_county
    city_services.programme_create(
        city=cast.township_a.district.city,
        year=2025,
        due_dates=dict.fromkeys(Step.values, date(2025, 9, 30)),
        acting_user=cast.users["city_staff"],
    )
    _work(cast, village=cast.village_b, staff="staff", label="路桥")
    _work(cast, village=cast.village_c, staff="staff_b", label="黄岩")
    luqiao = County(
        ("staff", "leader", "petition", "secretary_a", "secretary_b"), cast.township_a, cast.village_a, LUQIAO
    )
    huangyan = County(("staff_b", "leader_b", "petition_b", "secretary_c"), cast.township_c, cast.village_c, HUANGYAN)
    return luqiao, huangyan


def _urls(own: County) -> list[str]:
    """Every URL of the signed-in site that names no object, with the own county's places as arguments."""
    samples = {
        "period": "2025",
        "year": "2025",
        "county": own.township.district.code,
        "township_code": own.township.code,
        "village_code": own.village.code,
        "code": own.village.code,
        "indicator_code": "BZ1",
        "what": "finding",
        "app_label": "villages",
    }
    urls = []
    for name, pattern in all_url_names():
        arguments = set(pattern.pattern.regex.groupindex)
        if name.startswith(SKIPPED_NAMESPACES) or arguments & OBJECT_ARGUMENTS or "action" in arguments:
            continue
        urls.append(reverse(name, kwargs={argument: samples[argument] for argument in arguments}))
    return urls


def _text(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    if response.streaming or response.get("Content-Type", "").startswith("application/pdf"):
        return ""
    return response.content.decode()


@pytest.mark.parametrize("reader", ["luqiao", "huangyan"])
def test_no_page_or_export_of_a_county_shows_anything_of_the_other_county(counties, client_for, reader):
    own, other = counties if reader == "luqiao" else reversed(counties)
    slipped = (
        f"?county={other.township.district.code}&district={other.township.district.pk}"
        f"&township={other.township.pk}&village={other.village.pk}&year=2025"
    )
    urls = _urls(own)
    read = 0
    for user in own.users:
        client = client_for(user)
        for url in urls:
            for asked in (url, url + slipped):
                response = client.get(asked)
                shown = [mark for mark in other.marks if mark in _text(response)]
                assert not shown, f"{user} GET {asked} ({response.status_code}) shows {shown}"
                read += response.status_code == 200
    assert read > 100  # the lists, figures and exports were read, not refused
