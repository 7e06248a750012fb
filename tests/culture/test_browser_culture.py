"""Issue 19's new pages in Chromium, as their users meet them: a villager on a phone (375 px) votes in the
十大评选 and is refused a second vote the same day, and opens a township's public 阵地 page; a township
secretary on a phone records the 通报会 of an issued bulletin; the county staff at a desk (1366 px) compose
a 典型案例通报 (a name in the facts is refused with the text kept), issue it and open its PDF; the staff on
a phone record a 主动下访 with an issue settled on the spot; a resident on a phone objects to an index in
its publicity window and gets a receipt code. No phone page is wider than the screen. Screenshots go to
test-artifacts/culture/.

Each journey builds its data in its test: the browser's live server needs a transactional database, which
is emptied after each test, so data cannot be seeded once per module."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture import venues
from culture.demo import venue_photo_png
from culture.models import AwardCategory, BulletinMeeting, CultureVenue, Vote
from petitions.models import Visit
from scoring.models import IndexObjection

from ..browser_helpers import screenshot, sign_in
from ..scoring_helpers import published_now
from . import award_builders as build
from .test_bulletins import CANARY_NAME, FACTS, LESSON, issued, person

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DESK = {"width": 1366, "height": 900}


@pytest.fixture(autouse=True)
def _unlimited(settings):
    """Every post comes from 127.0.0.1: no journey is stopped by the rate limits."""
    settings.VOTE_RATE = "10000/h"
    settings.OBJECTION_RATE = "10000/h"


def fits(page, name: str) -> None:
    """Nothing scrolls sideways on the phone; the page saved to be looked at."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{name}: {width} px wide"
    screenshot(page, "culture", f"{name}-375")


def test_a_villager_votes_once_in_a_category_on_a_phone_and_sees_no_counts(page, live_server, cast):
    contest, (wang, _li, _story) = build.shortlisted(
        cast.users["staff"],
        [
            (AwardCategory.PERSON, cast.township_a, "王阿婆"),
            (AwardCategory.PERSON, cast.township_b, "李书记"),
            (AwardCategory.STORY, cast.township_a, "一本账簿"),
        ],
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/awards/{contest.pk}/")
    assert "每个类别每天可投一票" in page.locator("#vote-state").inner_text()
    fits(page, "award-vote-open")

    page.locator(f"#nomination-{wang.pk}").get_by_role("button", name="投票").click()
    assert "感谢您的投票：已为“王阿婆”计票。" in page.locator(".messages").inner_text()
    assert page.locator(".votes").count() == 0 and "票数" not in page.locator("article").first.inner_text()
    fits(page, "award-vote-thanks")

    page.locator(f"#nomination-{wang.pk}").get_by_role("button", name="投票").click()
    refusal = page.get_by_role("alert").or_(page.locator(".messages")).first
    assert "您今天已在该类别投过票" in refusal.inner_text()
    assert page.locator(".votes").count() == 0
    fits(page, "award-vote-already")
    wang.refresh_from_db()
    assert wang.votes == 1 and Vote.objects.count() == 1


def test_a_villager_opens_a_townships_venues_with_their_photo_on_a_phone(page, live_server, cast):
    venues.venue_record(
        township=cast.township_a,
        village=cast.village_a,
        name="石曲村廉园",
        kind=CultureVenue.Kind.GARDEN,
        address="石曲村村委会东侧",
        opened_on=date(2024, 6, 1),
        photos=[SimpleUploadedFile("廉园.png", venue_photo_png(0), content_type="image/png")],
        acting_user=cast.users["secretary_a"],
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/townships/{cast.township_a.code}/venues/")
    assert "清廉文化阵地" in page.locator("h1").inner_text()
    assert "石曲村廉园" in page.locator("main").inner_text()
    photo = page.get_by_role("img", name="石曲村廉园")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    fits(page, "public-venues")


def test_a_secretary_records_the_townships_bulletin_meeting_on_a_phone(page, live_server, cast):
    bulletin = issued(cast, person(cast), on=date(2025, 6, 20))
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "secretary_a")
    page.goto(f"{live_server.url}{reverse('culture:bulletin', args=[bulletin.pk])}")
    assert "not held yet" not in page.content()
    fits(page, "bulletin-meeting-form")

    page.get_by_label("召开日期").fill("2025-06-25")
    page.get_by_label("参会人数").fill("46")
    page.get_by_role("button", name="保存").click()
    assert "通报会已记录。" in page.locator(".messages").inner_text()
    row = page.locator(f"#meeting-{cast.township_a.code}")
    assert row.inner_text().split() == ["路桥街道", "2025-06-25", "46"]
    fits(page, "bulletin-meeting-recorded")
    assert BulletinMeeting.objects.get().attendance == 46


def test_the_staff_compose_a_bulletin_refused_a_name_issue_it_and_open_its_pdf(page, live_server, cast):
    someone = person(cast)
    page.set_viewport_size(DESK)
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}{reverse('culture:bulletin_new')}")
    page.get_by_label("标题").fill("2025年第一期典型案例通报")
    page.get_by_label("前言").fill("为深化以案促改，现将典型案例通报如下。")
    page.get_by_role("button", name="保存").click()
    assert page.locator("#bulletin-status").inner_text() == "草稿"

    page.get_by_role("link", name="从处理人员中添加案例").click()
    assert CANARY_NAME not in page.content()
    screenshot(page, "culture", "bulletin-candidates-1366")
    page.locator(f"#person-{someone.pk}").get_by_role("link", name="据此编写案例").click()
    named = f"{CANARY_NAME}{FACTS}"
    page.get_by_label("基本案情").fill(named)
    page.locator("textarea[name=lesson]").fill(LESSON)
    page.get_by_role("button", name="保存").click()
    assert "典型案例通报一律不点名" in page.locator("main").inner_text()
    assert page.get_by_label("基本案情").input_value() == named
    screenshot(page, "culture", "bulletin-case-refused-1366")

    page.get_by_label("基本案情").fill(FACTS)
    page.get_by_role("button", name="保存").click()
    assert "案例已添加。" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="印发").click()
    assert page.locator("#bulletin-status").inner_text() == "已印发"
    assert CANARY_NAME not in page.content()
    screenshot(page, "culture", "bulletin-issued-1366")

    pdf = page.request.get(live_server.url + page.get_by_role("link", name="打印版（PDF）").get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_the_staff_record_a_village_visit_with_an_issue_settled_on_the_spot_on_a_phone(page, live_server, cast):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}{reverse('petitions:visit_new')}")
    fits(page, "visit-form")
    page.get_by_label("下访日期").fill("2025-06-10")
    page.get_by_label("村居").select_option(str(cast.village_a.pk))
    page.get_by_label("下访人员（姓名、单位）").fill("区纪委 陈某")
    line = page.locator("#issue-line-1")
    line.get_by_label("问题类别").select_option("conduct")
    line.get_by_label("简要内容").fill("反映村干部办事拖拉")
    line.get_by_label("当场化解").check()
    page.get_by_role("button", name="保存").click()
    assert "下访已记录。" in page.locator(".messages").inner_text()
    main = page.locator("main").inner_text()
    assert "反映村干部办事拖拉" in main and "石曲村" in main
    fits(page, "visit-recorded")
    visit = Visit.objects.get()
    assert [(issue.summary, issue.settled_on_spot) for issue in visit.issues.all()] == [("反映村干部办事拖拉", True)]


def test_a_resident_objects_to_an_index_in_publicity_on_a_phone_and_gets_a_receipt_code(page, live_server, cast):
    published_now(cast)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{reverse('objection:new', args=['2025'])}")
    fits(page, "objection-form")
    page.locator("select[name=village]").select_option(cast.village_a.code)
    page.locator("textarea[name=content]").fill("村里的工程没有公开招标，村务清爽不应满分。")
    page.get_by_role("button", name="提交异议").click()
    objection = IndexObjection.objects.get()
    assert objection.receipt_code in page.locator("main").inner_text()
    assert "石曲村" in page.locator("main").inner_text()
    fits(page, "objection-receipt")
