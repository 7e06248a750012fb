"""The reports read as analyses: the district report compares its townships (never the district with
itself), ranks villages with their township and lists the bottom three and the pairs as tables; a
township's report sets it beside the district; download links and files say whose report, which year and
which day; the suggestions page states the figures behind each draft as sentences; chart labels fit.

The fixture `year_2025`: 路桥街道 石曲村 91, 先进村 95.5, 后进村 75; 路南街道 one village at 85. Points are
taken off the indicators in order, so only 班子清廉 (maximum 25) loses: 16, 20.5 and 0 in 路桥街道
(average 12.17), 10 in 路南街道; 11.62 in the district (46.5 / 4, rounded half to even as everywhere)."""

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.urls import reverse

from reports import documents as reports
from reports.charts import WIDTH, category_charts, grade_shares_charts, text_width
from reports.content import CategoryLine
from reports.models import ReportVersion
from scoring.models import HelpVisit, Pairing
from scoring.selectors import TownshipShares

COMPARISON_HEADER = "镇街 村居数 A类 占比 B类 占比 C类 占比 平均分 较上年 排名"
TOWNSHIP_A_LINE = "路桥街道 3 2 66.7% 0 0.0% 1 33.3% 87.17 — 1"


def pdf_lines(version: ReportVersion) -> list[str]:
    """The PDF's text line by line, each line's runs of spaces made one."""
    text = subprocess.run(
        ["pdftotext", "-layout", version.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def squashed(text: str) -> str:
    """Without white space: a sentence that wraps across lines of the page still reads as one."""
    return re.sub(r"\s+", "", text)


def test_the_district_report_compares_its_townships_and_never_itself(cast, year_2025):
    weak = year_2025.results.get(village__name="后进村").village
    good = year_2025.results.get(village__name="先进村").village
    pairing = Pairing.objects.create(round=year_2025, helper=good, helped=weak, confirmed_by=cast.users["staff"])
    HelpVisit.objects.create(
        pairing=pairing, visited_on=date(2025, 5, 6), content="帮扶走访", recorded_by=cast.users["secretary_a"]
    )
    version = reports.build_report(year=2025, district=cast.township_a.district, requested_by=cast.users["staff"])
    lines = pdf_lines(version)
    text = "\n".join(lines)

    overview = "全区 2 个镇街共有村居 4 个，其中A类 2 个（占 50.0%），B类 1 个（占 25.0%），C类 1 个（占 25.0%）"
    assert squashed(overview) in squashed(text)
    table = lines[lines.index(COMPARISON_HEADER) :]
    assert table[1:4] == [
        TOWNSHIP_A_LINE,
        "路南街道 1 0 0.0% 1 100.0% 0 0.0% 85.00 — 2",
        "合计 4 2 50.0% 1 25.0% 1 25.0% 86.62 — —",
    ]
    # The district is never set beside itself: no 本区, no 全区 line in the comparison, one bar per category.
    assert "本区" not in text and "红：本" not in text and "各类别平均得分率（全区）" in text
    assert "“班子清廉”是得分率最低的类别，平均11.62分（满分25分），4个村居中有4个" in squashed(text)

    assert "镇街 村居 等级 总分 镇街排名 全区排名 星级 较上年" in lines
    assert "路桥街道 石曲村 A 91.00 2 2 — —" in lines
    assert f"路南街道 {cast.village_b.name} B 85.00 1 3 — —" in lines

    bottom = lines[lines.index("镇街 村居 镇街排名 总分 等级 清廉问诊") :]
    assert bottom[1:5] == [
        "路桥街道 后进村 3 75.00 C 未问诊",
        "路桥街道 石曲村 2 91.00 A 未问诊",
        "路桥街道 先进村 1 95.50 A 未问诊",
        f"路南街道 {cast.village_b.name} 1 85.00 B 未问诊",
    ]
    pairs = lines[lines.index("镇街 C类村居 总分 帮扶村居 帮扶村居总分 帮扶走访") :]
    assert pairs[1] == "路桥街道 后进村 75.00 先进村 95.50 1次（最近 2025-05-06）"

    categories = lines[
        lines.index("镇街 班子清廉（满分25） 干部清正（满分25） 村务清爽（满分30） 民风清朗（满分20）") :
    ]
    assert categories[1:4] == [
        "路桥街道 12.17 25.00 30.00 20.00",
        "路南街道 10.00 25.00 30.00 20.00",
        "全区平均 11.62 25.00 30.00 20.00",
    ]


def test_a_township_report_sets_the_township_beside_the_district(cast, year_2025):
    version = reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    lines = pdf_lines(version)
    text = "\n".join(lines)
    assert squashed("平均分 87.17 分，高于全区平均 0.55 分，在全区 2 个镇街中排第 1 位") in squashed(text)
    table = lines[lines.index(COMPARISON_HEADER) :]
    assert table[1:3] == [TOWNSHIP_A_LINE, "全区 4 2 50.0% 1 25.0% 1 25.0% 86.62 — —"]
    assert "各类别平均得分率（红：本镇街，灰：全区）" in text
    # Its own villages only, so no township column.
    assert "村居 等级 总分 镇街排名 全区排名 星级 较上年" in lines and "石曲村 A 91.00 2 2 — —" in lines
    assert lines[lines.index("村居 镇街排名 总分 等级 清廉问诊") + 1] == "后进村 3 75.00 C 未问诊"
    assert "后进村 75.00 未确认（建议：先进村） — 0次" in lines
    assert cast.village_b.name not in text


def _built_on(version: ReportVersion, day: datetime) -> ReportVersion:
    ReportVersion.objects.filter(pk=version.pk).update(built_at=day)
    version.refresh_from_db()
    return version


def test_download_links_and_files_say_whose_report_which_year_and_which_day(cast, year_2025, client_for):
    morning = datetime(2026, 3, 2, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    township = _built_on(
        reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"]), morning
    )
    _built_on(
        reports.build_report(year=2025, district=cast.township_a.district, requested_by=cast.users["staff"]), morning
    )

    page = client_for("staff").get(reverse("reports:list"), {"year": "2025"}).content.decode()
    links = re.findall(r'<a class="report-link" href="[^"]+">([^<]+)</a>', page)
    assert links == ["路桥区 2025年度分析报告 · 2026-03-02 版", "路桥街道 2025年度分析报告 · 2026-03-02 版"]
    own = client_for("secretary_a").get(reverse("reports:list"), {"year": "2025"}).content.decode()
    assert re.findall(r'<a class="report-link" href="[^"]+">([^<]+)</a>', own) == [links[1]]

    response = client_for("secretary_a").get(reverse("reports:download", args=[township.pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote(f"路桥街道 2025年度分析报告 · 2026-03-02 第{township.number}版.pdf")
    )


def test_an_earlier_version_is_one_click_further(cast, year_2025, client_for):
    for _ in range(2):
        reports.build_report(year=2025, township=cast.township_a, requested_by=cast.users["staff"])
    page = client_for("secretary_a").get(reverse("reports:list"), {"year": "2025"}).content.decode()
    assert "更早的1个版本" in page and page.count('class="report-link"') == 2


def test_the_suggestions_page_states_the_figures_behind_each_draft_in_sentences(cast, year_2025, client_for):
    page = client_for("staff").get(reverse("reports:text", args=[cast.township_a.code, 2025])).content.decode()
    assert '<li class="muted">班子清廉类平均得分 12.17（满分 25），高于全区平均 0.55 分</li>' in page
    assert "3个村居中有3个在“落实全面从严治党主体责任”上失分，平均每村失分 4.83" in page
    assert "C类村居 1 个，占本镇街 3 个村居的 33.3%；全区 C类村居 1 个，占 25.0%" in page
    assert "category=" not in page and "average=" not in page

    district = client_for("staff").get(reverse("reports:text", args=["district", 2025])).content.decode()
    assert "班子清廉类平均得分 11.62（满分 25），得分率 46.5%，为各类别最低" in district
    assert "各镇街中路南街道最低，平均得分 10" in district
    assert "全区平均" not in district


TEXT = re.compile(r'<text x="([\d.]+)" y="[\d.]+" font-size="([\d.]+)"[^>]*>([^<]*)</text>')


def _texts(svg: str) -> list[tuple[float, float, str]]:
    """(x, font size, text) of every label of a chart."""
    return [(float(x), float(size), content) for x, size, content in TEXT.findall(svg)]


def test_chart_labels_fit_the_page_and_long_names_wrap():
    long_name = "经济技术开发区管理委员会街道"
    shares = [
        TownshipShares(str(n), long_name if n == 0 else f"第{n}镇", {"A": 30, "B": 69, "C": 1}, 100) for n in range(40)
    ]
    charts = grade_shares_charts(shares, "等级占比")
    assert len(charts) == 2  # 30 rows, then 10: a chart never runs past a page
    texts = _texts(charts[0])
    assert "".join(content for _x, _size, content in texts[:2]) == long_name  # on two lines
    assert all(x + text_width(content, size) <= WIDTH for x, size, content in texts)
    assert "C 1%" not in charts[0]  # too narrow a segment for its label: the table gives the figure

    categories = [
        CategoryLine("农村基层党风廉政建设", Decimal(25), Decimal(25), Decimal(18)),
        CategoryLine("民风清朗", Decimal(20), Decimal(10), Decimal(12)),
    ]
    (chart,) = category_charts(categories, "各类别平均得分率", with_district=True)
    texts = _texts(chart)
    assert [content for _x, _size, content in texts if "%" in content] == ["100.0%", "72.0%", "50.0%", "60.0%"]
    assert all(x + text_width(content, size) <= WIDTH for x, size, content in texts)
