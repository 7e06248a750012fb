"""In a real browser, each role's own journey through the UI:

- commission staff upload an xlsx score sheet, check the preview, confirm it, see the totals and grades
  in the score grid and submit the round; the leader, signing in with a password and a one-time code,
  approves and publishes it; a resident with no account then sees the village's total and green A on `/`;
- a township secretary sees the colour-coded list of the own township only and downloads its analysis
  report as a PDF;
- the petition officer (with a one-time code) registers a named petition and finds it in the case list,
  while a township secretary who opens that case's URL gets the 404 page without the petitioner's name.

Service calls only prepare what a journey does not itself cover (a draft round, a published round, a
built report)."""

import re
import subprocess
from decimal import Decimal

import pytest

from reports import documents as reports
from scoring.models import Indicator, Round
from scoring.services import round_approve, round_publish, round_submit

from ..browser_helpers import sign_in
from ..conftest import CANARY
from ..factories import VillageFactory
from ..scoring.test_score_import import workbook_bytes
from ..scoring_helpers import fill_scores, make_round

pytestmark = pytest.mark.browser

# --grade-a and --grade-c of static/css/lianjie.css: the colour must really be applied, not only the class.
GREEN = "rgb(26, 127, 55)"
RED = "rgb(180, 35, 24)"
PETITIONER = "甄实名QX7"


def write_score_sheet(path, round_: Round, village_a, village_b) -> None:
    """The import template filled in with openpyxl: village A has full marks but 0.64 lost on MF4
    (99.36, an A, as Luqiao published), village B half marks everywhere (50.00, a C)."""
    indicators = list(Indicator.objects.filter(scheme=round_.period.scheme))
    full = [indicator.max_points - (Decimal("0.64") if indicator.code == "MF4" else 0) for indicator in indicators]
    half = [indicator.max_points / 2 for indicator in indicators]

    def cells(points):  # each indicator's points, then the reason of a deduction
        return [
            value
            for indicator, mark in zip(indicators, points, strict=True)
            for value in (float(mark), f"{indicator.code}扣分")
        ]

    rows = [
        ["code", "name", *[title for indicator in indicators for title in (indicator.code, f"{indicator.code} 理由")]],
        [village_a.code, village_a.name, *cells(full)],
        [village_b.code, village_b.name, *cells(half)],
    ]
    path.write_bytes(workbook_bytes(rows))


def grade_colour(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def open_round(page, period: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="评分轮次").click()
    page.wait_for_url("**/scoring/rounds/")
    page.get_by_role("link", name=period, exact=True).click()
    page.wait_for_url("**/scoring/rounds/*/")


def test_staff_import_a_sheet_the_leader_publishes_it_and_the_public_sees_a_green_a(cast, live_server, page, tmp_path):
    round_ = make_round("2025")
    sheet = tmp_path / "2025年清廉指数评分表.xlsx"
    write_score_sheet(sheet, round_, cast.village_a, cast.village_b)

    # Staff: upload → preview → confirm → totals in the grid → submit.
    sign_in(page, live_server, "staff")
    open_round(page, "2025")
    page.get_by_role("link", name="导入Excel").click()
    page.get_by_label("评分表（xlsx）").set_input_files(str(sheet))
    page.get_by_role("button", name="预览").click()
    page.get_by_text("将修改46项分数").wait_for()  # 2 villages × 23 indicators
    change = page.locator("tbody tr", has_text=cast.village_a.name).filter(has_text="MF4")
    assert "4.36" in change.inner_text()
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入46项分数。").wait_for()

    page.locator("tbody tr", has_text=cast.township_a.name).get_by_role("link", name="录入得分").click()
    total_a = page.locator(f"#total-{cast.village_a.code}")
    assert "99.36" in total_a.inner_text() and total_a.locator(".grade-A").count() == 1
    page.go_back()
    page.locator("tbody tr", has_text=cast.township_b.name).get_by_role("link", name="录入得分").click()
    total_b = page.locator(f"#total-{cast.village_b.code}")
    assert "50.00" in total_b.inner_text() and total_b.locator(".grade-C").count() == 1
    page.go_back()
    page.get_by_role("button", name="报送审定").click()
    page.get_by_text("本轮评分已报送审定。").wait_for()
    assert "已报审" in page.locator("h1 .status").inner_text()

    # Leader: password and a real one-time code, then the two buttons.
    sign_in(page, live_server, "leader")
    open_round(page, "2025")
    page.get_by_role("button", name="审定", exact=True).click()
    page.get_by_text("本轮评分已审定。").wait_for()
    page.get_by_role("button", name="确认发布", exact=True).click()  # under the publication summary
    page.get_by_text("本轮评分已发布。").wait_for()
    assert "已发布" in page.locator("h1 .status").inner_text()

    # A resident: a fresh browser context, no cookies, nothing signed in.
    public = page.context.browser.new_context()
    try:
        resident = public.new_page()
        resident.goto(f"{live_server.url}/")
        row = resident.locator("table.results tbody tr", has_text=cast.village_a.name)
        assert "99.36" in row.inner_text()
        grade = row.locator(".grade")
        assert grade.inner_text() == "A" and "grade-A" in grade.get_attribute("class")
        assert grade_colour(grade) == GREEN
        other = resident.locator("table.results tbody tr", has_text=CANARY)
        assert "50.00" in other.inner_text() and grade_colour(other.locator(".grade-C")) == RED
    finally:
        public.close()


@pytest.fixture
def published_2025_with_report(cast):
    """A published 2025 round with an A and a C village in township A, and township A's report built
    in process (Celery is not eager in the services run, so nothing is queued)."""
    weak = VillageFactory(township=cast.township_a, code="331004001202", name="后进村")
    round_ = make_round("2025")
    for village, total in [(cast.village_a, "93.5"), (weak, "76"), (cast.village_b, "88")]:
        fill_scores(round_, village, total)
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    round_publish(round_=round_, acting_user=cast.users["leader"])
    return reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])


def test_a_secretary_sees_the_own_villages_colour_coded_and_downloads_the_township_report(
    cast, live_server, page, published_2025_with_report, tmp_path
):
    sign_in(page, live_server, "secretary_a")
    page.get_by_role("navigation").get_by_role("link", name="清廉指数", exact=True).click()
    page.wait_for_url("**/scoring/")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2  # township A's two villages, nothing of township B
    good, weak = rows.filter(has_text=cast.village_a.name), rows.filter(has_text="后进村")
    assert "93.50" in good.inner_text() and grade_colour(good.locator(".grade-A")) == GREEN
    assert "76.00" in weak.inner_text() and grade_colour(weak.locator(".grade-C")) == RED
    assert "row-C" in weak.get_attribute("class")
    assert CANARY not in page.content()

    page.get_by_role("navigation").get_by_role("link", name="分析报告", exact=True).click()
    page.wait_for_url("**/reports/")
    page.get_by_label("年度").fill("2025")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/reports/?year=2025")
    line = page.locator("tbody tr", has_text=cast.township_a.name)
    assert cast.township_b.name not in page.locator("table").inner_text()
    with page.expect_download() as download_info:
        line.get_by_role("link", name=f"{cast.township_a.name} 2025年度分析报告").click()
    download = download_info.value
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert download.suggested_filename.startswith(f"{cast.township_a.name} 2025年度分析报告 · ")
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    # The file is the township's real report, not an error page saved as .pdf.
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "路桥街道2025年度清廉指数分析报告" in text and CANARY not in text


def test_the_petition_officer_registers_a_case_that_a_secretary_cannot_open(cast, live_server, page):
    sign_in(page, live_server, "petition")
    page.get_by_role("navigation").get_by_role("link", name="涉纪信访", exact=True).click()
    page.get_by_role("link", name="登记信访件").click()
    page.locator("#id_channel").select_option("letter")
    page.locator("#id_named").check()
    page.locator("#id_identity").fill(PETITIONER)
    page.locator("#id_contact").fill("13700002222")
    page.locator("#id_subject_name").fill("钱某某")
    page.locator("#id_subject_post").fill("村股份经济合作社社长")
    page.locator("#id_township").select_option(label=cast.township_a.name)
    page.locator("#id_village").select_option(str(cast.village_a.pk))
    page.locator("#id_category").select_option("sanzi")
    page.locator("#id_summary").fill("反映村集体厂房租金未入账")
    page.get_by_role("button", name="登记", exact=True).click()
    page.get_by_text("已登记。").wait_for()
    page.wait_for_url(re.compile(r"/petitions/\d+/$"))  # registering lands on the new case
    case_url = page.url

    page.get_by_role("link", name="信访件", exact=True).click()
    page.wait_for_url("**/petitions/")
    row = page.locator("tbody tr", has_text="钱某某")
    assert "路桥街道 · 石曲村" in row.inner_text() and "已登记" in row.inner_text()
    assert PETITIONER not in page.content()  # never in a list

    sign_in(page, live_server, "secretary_a")
    assert page.get_by_role("navigation").get_by_role("link", name="涉纪信访", exact=True).count() == 0
    response = page.goto(case_url)
    assert response.status == 404  # as for a missing case: the page does not even confirm it exists
    assert "页面不存在" in page.locator("main").inner_text()
    content = page.content()
    assert PETITIONER not in content and "13700002222" not in content and "钱某某" not in content
