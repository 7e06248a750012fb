"""Each role lands on its to-do page (/workspace/): every kind of thing that waits for it, counted in the
header with the total, each thing a link to the page where it is done, a kind with nothing waiting said so.
A secretary never sees another township's things; the page reads a fixed number of queries per role."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from inspections import services as inspection_services
from inspections.models import Finding
from petitions import services as petition_services
from petitions.calendar import add_working_days
from petitions.models import Petition
from reports.models import ReportBatch
from scoring.models import Round
from scoring.services import diagnosis_record, round_correct, round_return, round_submit
from stars import services as star_services
from stars.models import StarVetoItem
from villages.models import Village

from ..factories import UserFactory, VillageFactory
from ..inspection_helpers import finding, inspection, pdf
from ..petition_helpers import accepted, concluded, register
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import decided, filed, fixed

SECTION = re.compile(r'<section class="todo-item[^"]*"\s+id="todo-(\w+)".*?</section>', re.S)
LINE = re.compile(
    r'<a href="([^"]+)"><span class="todo-text">(.*?)</span>\s*(?:<span class="todo-note">(.*?)</span>)?</a>'
)


def todo(page: str) -> dict[str, tuple[int, list[tuple[str, str, str]]]]:
    """Each kind of the page: (its count in the header, its lines as (text, note, link)); the total is
    under the key "total". Asserts that each section's count is the header's."""
    kinds: dict = {"total": (int(re.search(r'id="todo-total">[^<]*<strong>(\d+)</strong>', page).group(1)), [])}
    header = dict(re.findall(r'id="count-(\w+)">(\d+)<', page))
    for section in SECTION.finditer(page):
        key = section.group(1)
        count = int(re.search(r'<span class="todo-count">(\d+)</span>', section.group(0)).group(1))
        assert int(header[key]) == count, key
        lines = [
            (html.unescape(text), html.unescape(note or ""), html.unescape(link))
            for link, text, note in LINE.findall(section.group(0))
        ]
        kinds[key] = (count, lines)
        if not count:
            assert "没有待办。" in section.group(0), key
    assert list(header) == [key for key in kinds if key != "total"]
    return kinds


def page_of(client) -> str:
    response = client.get(reverse("workspace"))
    assert response.status_code == 200
    return response.content.decode()


def village(name: str) -> Village:
    return Village.objects.get(name=name)


@pytest.fixture
def today():
    return timezone.localdate()


# --- The township secretary --------------------------------------------------------------------------


@pytest.fixture
def secretary_world(cast, year_2025, today):
    """Township A's things to do, and the same kinds in township B (the canary's), which secretary A must
    never see: the 2025 index (A: 先进村 95.5, 石曲村 91, 后进村 75 C; B: the canary 85)."""
    shiqu, xianjin, houjin = cast.village_a, village("先进村"), village("后进村")
    gaoshan = VillageFactory(township=cast.township_a, name="高山村")
    diagnosis_record(
        round_=year_2025,
        village=xianjin,
        acting_user=cast.users["secretary_a"],
        held_on=today,
        deductions_found="无",
        measures="保持",
        responsible_person="李某",
    )
    round_ = inspection(cast, starts_on=today - timedelta(days=40))
    started = today - timedelta(days=30)
    finding(cast, round_, found_on=started, due_on=today + timedelta(days=3), description="村务公开栏未更新")
    late = today - timedelta(days=5)
    finding(cast, round_, village=houjin, found_on=started, due_on=late, description="三资台账缺失")
    finding(cast, round_, found_on=started, due_on=today + timedelta(days=30), description="不急的问题")
    finding(cast, round_, village=cast.village_b, owner="secretary_b", found_on=started, due_on=today)
    submitted = finding(cast, round_, village=xianjin, found_on=started, due_on=today + timedelta(days=2))
    inspection_services.progress_record(
        finding=submitted, acting_user=cast.users["secretary_a"], note="已整改", uploads=[pdf()]
    )
    inspection_services.closure_submit(finding=submitted, acting_user=cast.users["secretary_a"])

    filed(cast, 3, village=shiqu)
    returned = filed(cast, 3, village=xianjin)
    star_services.application_return(application=returned, acting_user=cast.users["secretary_a"], opinion="缺少照片")
    two_stars = decided(cast, 2, village=houjin, total="75", today=today - timedelta(days=3))
    star_services.improvement_plan_save(
        application=two_stars,
        acting_user=cast.users["secretary_a"],
        measures="结对帮扶",
        responsible_person="王某",
        due_on=today + timedelta(days=2),
    )
    star_services.objection_record(
        application=two_stars, acting_user=cast.users["staff"], received_on=today, channel="phone", content="有异议"
    )
    # Decided by the district: the leader answers its objection, not the township.
    four_stars = decided(cast, 4, village=gaoshan, today=today - timedelta(days=1))
    star_services.objection_record(
        application=four_stars, acting_user=cast.users["staff"], received_on=today, channel="letter", content="不服"
    )
    canary = decided(cast, 2, village=cast.village_b, total="75", today=today - timedelta(days=4))
    star_services.objection_record(
        application=canary, acting_user=cast.users["staff"], received_on=today, channel="phone", content="CANARY"
    )
    return {"returned": returned, "two_stars": two_stars, "four_stars": four_stars}


def test_the_secretary_sees_the_own_townships_things_to_do_each_a_link_to_where_it_is_done(
    cast, secretary_world, client_for, today
):
    page = page_of(client_for("secretary_a"))
    kinds = todo(page)
    two_stars = secretary_world["two_stars"]
    finding_of = {f.description: f for f in Finding.objects.all()}
    assert kinds["total"][0] == 10
    assert kinds["findings"] == (
        2,
        [
            (
                "后进村 · 三资台账缺失",
                f"{today - timedelta(days=5)}到期，已逾期",
                reverse("inspections:finding", args=[finding_of["三资台账缺失"].pk]),
            ),
            (
                "石曲村 · 村务公开栏未更新",
                f"{today + timedelta(days=3)}到期",
                reverse("inspections:finding", args=[finding_of["村务公开栏未更新"].pk]),
            ),
        ],
    )
    assert kinds["plans"] == (
        1,
        [("后进村", f"{today + timedelta(days=2)}到期", reverse("stars:plan", args=[two_stars.pk]))],
    )
    assert kinds["diagnoses"] == (
        2,
        [
            ("后进村", "镇街排名第3，75.00分", reverse("scoring:diagnosis_new", args=[village("后进村").code])),
            ("石曲村", "镇街排名第2，91.00分", reverse("scoring:diagnosis_new", args=[cast.village_a.code])),
        ],
    )
    assert kinds["rectification"] == (
        1,
        [("后进村", "75.00分", reverse("scoring:rectification", args=[village("后进村").code]))],
    )
    returned = secretary_world["returned"]
    assert kinds["applications"] == (
        2,
        [
            ("石曲村 ★★★", "待乡镇评定", reverse("stars:application", args=[returned.pk - 1])),
            ("先进村 ★★★", "退回补充材料", reverse("stars:apply", args=[returned.village.code]) + "?year=2025"),
        ],
    )
    assert kinds["objections"] == (
        1,
        [("后进村 ★★", f"{today}收到", reverse("stars:application", args=[two_stars.pk]))],
    )
    assert kinds["publicity"] == (
        1,
        [("后进村 ★★", f"公示至{today + timedelta(days=2)}", reverse("stars:application", args=[two_stars.pk]))],
    )
    assert "CANARY" not in page and cast.village_b.name not in page and "高山村" not in page


def test_every_link_of_the_secretarys_page_opens(cast, secretary_world, client_for):
    client = client_for("secretary_a")
    kinds = todo(page_of(client))
    links = {link for key, (_count, lines) in kinds.items() for _text, _note, link in lines}
    assert len(links) == 9  # the objection and the publicity ending are on the same application's page
    for link in links:
        assert client.get(link).status_code == 200, link


def test_another_townships_secretary_sees_only_its_own(cast, secretary_world, client_for, today):
    kinds = todo(page_of(client_for("secretary_b")))
    assert kinds["findings"][0] == 1 and kinds["findings"][1][0][0].startswith(cast.village_b.name)
    assert [text for text, _note, _link in kinds["diagnoses"][1]] == [cast.village_b.name]
    assert kinds["objections"][1][0][0] == f"{cast.village_b.name} ★★"
    assert kinds["publicity"][1][0][1] == f"公示至{today + timedelta(days=1)}"
    for key in ("plans", "rectification", "applications"):
        assert kinds[key] == (0, []), key
    assert kinds["total"][0] == 4


def test_a_secretary_with_nothing_to_do_sees_every_kind_at_zero_saying_nothing_waits(cast, client_for):
    page = page_of(client_for("secretary_a"))
    kinds = todo(page)
    assert kinds.pop("total")[0] == 0
    assert list(kinds) == [
        *("findings", "plans", "diagnoses", "rectification", "applications", "objections", "publicity"),
        "decisions_returned",
    ]
    assert all(kind == (0, []) for kind in kinds.values())
    assert page.count("没有待办。") == 8 and "今日待办" in page and "路桥街道" in page


# --- Commission staff ---------------------------------------------------------------------------------


@pytest.fixture
def staff_world(cast, year_2025, today):
    """Two rounds being entered (a new period, and a correction of the published 2025 index), a round the
    leader returned, a finding for staff to close (and one the staff member follows, which another
    closes), a veto hit on fixed stars, reports to build."""
    villages = list(Village.objects.order_by("code"))  # A: 石曲村, 先进村, 后进村; B: the canary
    entering = make_round("2026")
    fill_scores(entering, cast.village_a, "95")
    fill_scores(entering, cast.village_b, "90", skip=3)
    returned = make_round("2024")
    for one in villages:
        fill_scores(returned, one, "92")
    round_submit(round_=returned, acting_user=cast.users["staff"])
    round_return(round_=returned, acting_user=cast.users["leader"], reason="请核对路桥街道的数据")
    make_round("2023", status=Round.Status.SUBMITTED)  # the leader's, not staff's
    correction = round_correct(round_=year_2025, acting_user=cast.users["staff"], reason="更正石曲村得分")

    round_ = inspection(cast, starts_on=today - timedelta(days=40))
    for owner, name in (("secretary_a", "石曲村问题"), ("staff", "员工自己跟进的问题")):
        submitted = finding(cast, round_, owner=owner, found_on=today - timedelta(days=30), description=name)
        inspection_services.progress_record(
            finding=submitted, acting_user=cast.users[owner], note="已整改", uploads=[pdf()]
        )
        inspection_services.closure_submit(finding=submitted, acting_user=cast.users[owner])

    rated = fixed(cast, 4, village=VillageFactory(township=cast.township_b, name="长林村"))
    recorded = StarVetoItem.objects.get(criteria=rated.criteria, rule=StarVetoItem.Rule.RECORDED)
    star_services.veto_record(
        application=rated,
        acting_user=cast.users["staff"],
        item=recorded,
        occurred_on=date(2025, 12, 20),
        reason="村干部违纪",
    )
    star_services.veto_hits_find()

    make_round("2021", status=Round.Status.PUBLISHED)
    ReportBatch.objects.create(
        year=2021,
        total=3,
        failures=[{"report": "路南街道", "error": "字体缺失"}],
        requested_by=cast.users["staff"],
        district=cast.township_a.district,
    )
    return {"entering": entering, "correction": correction, "returned": returned, "rated": rated}


def test_staff_see_entry_progress_per_township_closures_returns_veto_hits_and_reports_to_build(
    cast, staff_world, client_for
):
    kinds = todo(page_of(client_for("staff")))
    entering, correction, returned = staff_world["entering"], staff_world["correction"], staff_world["returned"]
    # 23 indicators. Township A has 石曲村, 先进村, 后进村; township B the canary and 长林村, which came after the
    # 2025 index: its correction covers the villages of the index it corrects.
    assert kinds["entry"] == (
        2,
        [
            ("2026评分轮次（第1版）", "已录入43/115项得分", reverse("scoring:round", args=[entering.pk])),
            (
                "2026评分轮次（第1版） · 路桥街道",
                "已录入23/69项得分",
                reverse("scoring:entry", args=[entering.pk, "331004001"]),
            ),
            (
                "2026评分轮次（第1版） · 路南街道",
                "已录入20/46项得分",
                reverse("scoring:entry", args=[entering.pk, "331004002"]),
            ),
            ("2025评分轮次（第2版）", "全部得分已录入，请报送", reverse("scoring:round", args=[correction.pk])),
            (
                "2025评分轮次（第2版） · 路桥街道",
                "已录入69/69项得分",
                reverse("scoring:entry", args=[correction.pk, "331004001"]),
            ),
            (
                "2025评分轮次（第2版） · 路南街道",
                "已录入23/23项得分",
                reverse("scoring:entry", args=[correction.pk, "331004002"]),
            ),
        ],
    )
    closure = Finding.objects.get(description="石曲村问题")
    follower = cast.users["secretary_a"]
    assert kinds["closure"] == (
        1,
        [("石曲村 · 石曲村问题", f"跟进人：{follower}", reverse("inspections:finding", args=[closure.pk]))],
    )
    assert kinds["returned"] == (
        1,
        [
            (
                "2024评分轮次（第1版）",
                f"{cast.users['leader']}：请核对路桥街道的数据",
                reverse("scoring:round", args=[returned.pk]),
            )
        ],
    )
    hit = staff_world["rated"].veto_hits.get()
    assert kinds["veto_hits"] == (
        1,
        [("长林村 ★★★★ · " + hit.item.name, "村干部违纪", reverse("stars:veto_hit_strip", args=[hit.pk]))],
    )
    assert kinds["reports"] == (
        2,
        [
            ("2025年度分析报告", "尚未生成", reverse("reports:list") + "?year=2025"),
            ("2021年度分析报告", "生成失败：路南街道", reverse("reports:list") + "?year=2021"),
        ],
    )
    assert kinds["total"][0] == 7


def test_a_complete_township_is_marked_done_and_a_built_year_leaves_the_reports_to_build(cast, year_2025, client_for):
    entering = make_round("2026")
    fill_scores(entering, cast.village_a, "95")
    ReportBatch.objects.create(year=2025, total=3, requested_by=cast.users["staff"], district=cast.township_a.district)
    page = page_of(client_for("staff"))
    assert todo(page)["reports"] == (0, [])
    done = page.split('id="todo-entry"', 1)[1].split("</ul>", 1)[0]
    assert done.count('<li class="done">') == 0  # 先进村 and 后进村 of township A are not entered yet
    for village_ in Village.objects.filter(township=cast.township_a).exclude(pk=cast.village_a.pk):
        fill_scores(entering, village_, "95")
    done = page_of(client_for("staff")).split('id="todo-entry"', 1)[1].split("</ul>", 1)[0]
    assert done.count('<li class="done">') == 1 and "已录入69/69项得分" in done  # B's canary is not entered


# --- The commission leader ----------------------------------------------------------------------------


@pytest.fixture
def leader_world(cast, today):
    make_round("2023", status=Round.Status.SUBMITTED)
    make_round("2022", status=Round.Status.APPROVED)
    make_round("2021", status=Round.Status.DRAFT)
    forwarded = star_services.application_forward(
        application=filed(cast, 4),
        acting_user=cast.users["secretary_a"],
        opinion="同意上报",
        points=Decimal("97"),
        level=4,
    )
    filed(cast, 3, village=cast.village_b)  # the township's to decide
    near = accepted(cast, register(cast, received_on=today - timedelta(days=70)), on=today - timedelta(days=58))
    past = accepted(cast, register(cast, received_on=today - timedelta(days=80)), on=today - timedelta(days=70))
    extended = accepted(cast, register(cast, received_on=today - timedelta(days=80)), on=today - timedelta(days=59))
    petition_services.extension_approve(petition=extended, acting_user=cast.users["leader"], days=30, reason="情况复杂")
    accepted(cast, register(cast, received_on=today - timedelta(days=10)), on=today - timedelta(days=8))  # far off
    other_leader = UserFactory(username="leader_2", full_name="副书记", role=cast.users["leader"].role)
    listings = {}
    deadlines = ((today + timedelta(days=1), "leader"), (today + timedelta(days=60), "leader"), (today, None))
    for deadline, leader in deadlines:
        received = today - timedelta(days=100)
        listed = register(cast, received_on=received, township=cast.township_b, village=cast.village_b)
        listings[deadline] = petition_services.case_list(
            petition=listed,
            acting_user=cast.users["staff"],
            leader=cast.users[leader] if leader else other_leader,
            unit="路南街道纪委",
            measures="包案化解",
            deadline=deadline,
            on=today - timedelta(days=30),
        )
    return {"forwarded": forwarded, "near": near, "past": past, "listing": listings[today + timedelta(days=1)]}


def test_the_leader_sees_rounds_to_sign_district_star_decisions_extensions_and_listed_cases(
    cast, leader_world, client_for, today
):
    kinds = todo(page_of(client_for("leader")))
    rounds = {round_.period.code: round_ for round_ in Round.objects.select_related("period")}
    assert kinds["rounds"] == (
        2,
        [
            ("2023评分轮次（第1版）", "已报送：请审批或退回", reverse("scoring:round", args=[rounds["2023"].pk])),
            ("2022评分轮次（第1版）", "已审批：请发布", reverse("scoring:round", args=[rounds["2022"].pk])),
        ],
    )
    forwarded = leader_world["forwarded"]
    assert kinds["district_stars"] == (
        1,
        [("石曲村 ★★★★", "路桥街道", reverse("stars:application", args=[forwarded.pk]))],
    )
    assert kinds["objections"] == (0, [])
    near, past = leader_world["near"], leader_world["past"]
    subject = "三资管理"
    assert kinds["extensions"] == (
        2,
        [
            (
                f"信访件{past.pk} · 路桥街道 · {subject}",
                f"{today - timedelta(days=10)}到期，已逾期",
                reverse("petitions:petition", args=[past.pk]),
            ),
            (
                f"信访件{near.pk} · 路桥街道 · {subject}",
                f"{today + timedelta(days=2)}到期",
                reverse("petitions:petition", args=[near.pk]),
            ),
        ],
    )
    listed = leader_world["listing"].petition
    assert kinds["listed"] == (
        1,
        [
            (
                f"信访件{listed.pk} · 路南街道 · {subject}",
                f"{today + timedelta(days=1)}到期",
                reverse("petitions:petition", args=[listed.pk]),
            )
        ],
    )
    assert kinds["total"][0] == 6


def test_the_leader_answers_objections_to_the_districts_decisions_only(cast, client_for, today):
    four = decided(cast, 4, today=today - timedelta(days=1))
    two = decided(cast, 2, village=cast.village_b, total="75", today=today - timedelta(days=1))
    for application in (four, two):
        star_services.objection_record(
            application=application, acting_user=cast.users["staff"], received_on=today, channel="phone", content="异议"
        )
    assert todo(page_of(client_for("leader")))["objections"] == (
        1,
        [("石曲村 ★★★★", f"{today}收到", reverse("stars:application", args=[four.pk]))],
    )


# --- The petition office ------------------------------------------------------------------------------


@pytest.fixture
def office_world(cast, today):
    late = register(cast, received_on=today - timedelta(days=30))
    soon = register(cast, received_on=today)
    Petition.objects.filter(pk=soon.pk).update(accept_due=add_working_days(today, 2))
    later = register(cast, received_on=today)
    Petition.objects.filter(pk=later.pk).update(accept_due=add_working_days(today, 5))
    received, accepted_on = today - timedelta(days=3), today - timedelta(days=2)
    to_tell = accepted(cast, register(cast, identity="张三", received_on=received), on=accepted_on)
    told = accepted(cast, register(cast, identity="李四", received_on=received), on=accepted_on)
    petition_services.petitioner_notified(petition=told, acting_user=cast.users["petition"], on=today)
    result_to_tell = concluded(cast, register(cast, identity="王五", received_on=date(2025, 3, 3)))
    concluded(cast, register(cast, received_on=date(2025, 3, 3)))  # anonymous: nobody to tell
    return {"late": late, "soon": soon, "to_tell": to_tell, "result_to_tell": result_to_tell}


def test_the_petition_office_sees_cases_by_clock_and_named_petitioners_still_to_tell(
    cast, office_world, client_for, today
):
    page = page_of(client_for("petition"))
    kinds = todo(page)
    late, soon = office_world["late"], office_world["soon"]
    to_tell, result_to_tell = office_world["to_tell"], office_world["result_to_tell"]
    anonymous = Petition.objects.filter(named=False, status=Petition.Status.CONCLUDED).get()
    subject = "三资管理"

    def case(petition) -> str:
        return f"信访件{petition.pk} · 路桥街道 · {subject}"

    def link(petition) -> str:
        return reverse("petitions:petition", args=[petition.pk])

    assert kinds["overdue"] == (
        3,
        [
            (case(result_to_tell), f"已办结 · {result_to_tell.feedback_due}到期，已逾期", link(result_to_tell)),
            (case(anonymous), f"已办结 · {anonymous.feedback_due}到期，已逾期", link(anonymous)),
            (case(late), f"已登记 · {late.accept_due}到期，已逾期", link(late)),
        ],
    )
    assert kinds["due_soon"] == (1, [(case(soon), f"已登记 · {add_working_days(today, 2)}到期", link(soon))])
    assert '<h2 id="todo-due_soon-title">\n          3个工作日内到期的信访件' in page
    assert kinds["tell"] == (
        2,
        [
            (case(result_to_tell), f"告知办理结果，期限{result_to_tell.feedback_due}", link(result_to_tell)),
            (case(to_tell), f"告知受理情况，期限{to_tell.notify_due}", link(to_tell)),
        ],
    )
    assert kinds["total"][0] == 6
    assert "张三" not in page and "王五" not in page  # never the petitioner, not even here


# --- The administrators, and the query budget ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "links"),
    [
        ("sysadmin", ["villages:list", "villages:stations", "admin:index"]),
        ("secadmin", ["accounts:role_list"]),
        ("auditor", ["audit:list"]),
    ],
)
def test_an_administrator_has_no_to_do_but_the_own_pages(cast, client_for, name, links):
    page = page_of(client_for(name))
    assert 'id="todo-total"' not in page and "今日待办" not in page
    pages = page.split('class="todo-lines todo-pages"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<a href="([^"]+)">', pages) == [reverse(link) for link in links]


@pytest.mark.parametrize(
    ("name", "world", "budget"),
    [
        ("secretary_a", "secretary_world", 15),  # + the major decision reports returned
        ("staff", "staff_world", 19),  # + the work plan's tasks due, + the index's objections, + decisions to review
        ("leader", "leader_world", 13),  # + the work plan's tasks due
        ("petition", "office_world", 9),
    ],
)
def test_the_page_reads_a_fixed_number_of_queries_per_role(
    cast, client_for, request, django_assert_max_num_queries, name, world, budget
):
    request.getfixturevalue(world)
    client = client_for(name)
    with django_assert_max_num_queries(budget):
        page_of(client)
