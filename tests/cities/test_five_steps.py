"""五个一: the city's staff set each county's five steps with due dates, a county's staff report their own
county's (with evidence; the work plan with its 《实施办法》 and 《考评标准》), the city's staff record their
督促检查 visits, the daily job marks overdue steps; the schedule (工作进度表) and its sheet."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from cities import tasks
from cities.models import CountyStep, Programme, Step, StepEvidence, SupervisionVisit, VisitProblem

from ..conftest import TODAY
from ..inspection_helpers import pdf

pytestmark = pytest.mark.usefixtures("on_today")

YEAR = TODAY.year
DUE = TODAY + timedelta(days=30)
PLAN_REFUSED = "工作方案须上传《实施办法》和《考评标准》后方可标记完成。"


def due_dates(day=DUE) -> dict:
    return {step: day.isoformat() for step in Step.values}


@pytest.fixture
def programme(second_county, client_for):
    response = client_for("city_staff").post(reverse("cities:programme_create", args=[YEAR]), due_dates())
    assert response.status_code == 302
    return Programme.objects.get(year=YEAR)


def step_of(cast, step: str, *, second: bool = False) -> CountyStep:
    district = (cast.township_c if second else cast.township_a).district
    return CountyStep.objects.get(district=district, step=step)


def act(client, step: CountyStep, action: str, data: dict):
    return client.post(reverse("cities:step_action", args=[step.pk, action]), data)


def test_one_post_sets_the_five_steps_of_every_county_of_the_city(second_county, programme):
    steps = CountyStep.objects.filter(programme=programme).order_by("district__code", "position")
    assert [(step.district.name, step.get_step_display(), step.due_on, step.status) for step in steps[:5]] == [
        ("黄岩区", "专题汇报", DUE, "not_started"),
        ("黄岩区", "调查研究", DUE, "not_started"),
        ("黄岩区", "工作方案", DUE, "not_started"),
        ("黄岩区", "动员会议", DUE, "not_started"),
        ("黄岩区", "督促检查", DUE, "not_started"),
    ]
    assert steps.count() == 10
    assert programme.created_by.username == "city_staff"
    created = AuditEvent.objects.filter(target_type="cities.CountyStep", actor__username="city_staff")
    assert created.count() == 10


def test_posting_the_programme_again_adds_only_the_counties_added_since(second_county, programme, client_for):
    from villages.models import District

    District.objects.create(code="331081", name="温岭市", kind="county_city", city=programme.city)
    later = TODAY + timedelta(days=60)
    client_for("city_staff").post(reverse("cities:programme_create", args=[YEAR]), due_dates(later))
    assert CountyStep.objects.filter(programme=programme).count() == 15
    assert set(CountyStep.objects.filter(due_on=later).values_list("district__name", flat=True)) == {"温岭市"}


def test_a_countys_staff_complete_their_step_with_evidence(second_county, programme, client_for):
    client = client_for("staff")
    step = step_of(second_county, Step.REPORT)
    assert act(client, step, "progress", {"progress": "已向区委主要领导专题汇报"}).status_code == 302
    assert act(client, step, "evidence", {"kind": "document", "files": pdf("汇报材料.pdf")}).status_code == 302
    assert act(client, step, "complete", {"done_on": TODAY.isoformat(), "progress": ""}).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.done_on, step.progress) == ("done", TODAY, "已向区委主要领导专题汇报")
    assert list(step.evidence.values_list("original_name", "kind")) == [("汇报材料.pdf", "document")]
    assert (
        AuditEvent.objects.filter(
            target_type="cities.CountyStep", target_id=str(step.pk), actor__username="staff"
        ).count()
        == 2
    )
    page = client.get(reverse("cities:county", args=[YEAR, "331004"])).content.decode()
    assert "五项已完成1项。" in page


def test_a_step_is_not_completed_without_evidence(second_county, programme, client_for):
    step = step_of(second_county, Step.SURVEY)
    response = act(client_for("staff"), step, "complete", {"done_on": TODAY.isoformat(), "progress": "调研"})
    assert response.status_code == 400
    assert "请先上传本项工作的佐证材料，再标记完成。" in response.content.decode()
    step.refresh_from_db()
    assert step.status == "not_started"


def test_the_work_plan_is_refused_until_both_its_documents_are_uploaded(second_county, programme, client_for):
    client = client_for("staff")
    plan = step_of(second_county, Step.PLAN)
    act(client, plan, "evidence", {"kind": StepEvidence.Kind.MEASURES, "files": pdf("实施办法.pdf")})
    response = act(client, plan, "complete", {"done_on": TODAY.isoformat(), "progress": ""})
    assert response.status_code == 400
    assert PLAN_REFUSED in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "not_started"
    act(client, plan, "evidence", {"kind": StepEvidence.Kind.STANDARDS, "files": pdf("考评标准.pdf")})
    assert act(client, plan, "complete", {"done_on": TODAY.isoformat(), "progress": "已印发"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "done"


def test_only_the_work_plan_takes_its_two_documents(second_county, programme, client_for):
    step = step_of(second_county, Step.REPORT)
    response = act(client_for("staff"), step, "evidence", {"kind": StepEvidence.Kind.MEASURES, "files": pdf()})
    assert response.status_code == 400
    assert "只有工作方案才有《实施办法》和《考评标准》。" in response.content.decode()
    assert not StepEvidence.objects.exists()


def test_another_countys_staff_cannot_touch_the_step(second_county, programme, client_for):
    client = client_for("staff_b")
    step = step_of(second_county, Step.REPORT)  # 路桥区's
    assert client.get(reverse("cities:step", args=[step.pk])).status_code == 404
    assert client.get(reverse("cities:county", args=[YEAR, "331004"])).status_code == 404
    assert act(client, step, "progress", {"progress": "越权"}).status_code == 404
    assert act(client, step, "evidence", {"kind": "document", "files": pdf()}).status_code == 404
    assert act(client, step, "complete", {"done_on": TODAY.isoformat(), "progress": ""}).status_code == 404
    step.refresh_from_db()
    assert (step.status, step.progress, step.evidence.count()) == ("not_started", "", 0)
    own = step_of(second_county, Step.REPORT, second=True)
    assert client.get(reverse("cities:step", args=[own.pk])).status_code == 200


def test_a_county_user_reaches_only_its_own_programme(second_county, programme, client_for):
    staff = client_for("staff")
    assert staff.get(reverse("cities:mine"))["Location"] == reverse("cities:county", args=[YEAR, "331004"])
    assert staff.get(reverse("cities:county", args=[YEAR, "331004"])).status_code == 200
    assert staff.get(reverse("cities:county", args=[YEAR, "331003"])).status_code == 404
    assert staff.get(reverse("cities:schedule", args=[YEAR])).status_code == 403
    for name in ("petition", "secretary_a", "sysadmin", "auditor"):
        assert client_for(name).get(reverse("cities:county", args=[YEAR, "331004"])).status_code == 403
    anonymous = client_for("anonymous").get(reverse("cities:county", args=[YEAR, "331004"]))
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_the_city_leader_reads_every_county_and_changes_nothing(second_county, programme, client_for):
    leader = client_for("city_leader")
    step = step_of(second_county, Step.REPORT)
    for url in (
        reverse("cities:schedule", args=[YEAR]),
        reverse("cities:county", args=[YEAR, "331003"]),
        reverse("cities:step", args=[step.pk]),
    ):
        assert leader.get(url).status_code == 200
    posts = [
        (reverse("cities:programme_create", args=[YEAR + 1]), due_dates()),
        (reverse("cities:step_due", args=[step.pk]), {"due_on": TODAY.isoformat()}),
        (reverse("cities:visit_new", args=[YEAR, "331004"]), {"visited_on": TODAY.isoformat(), "checked": "台账"}),
        (reverse("cities:step_action", args=[step.pk, "progress"]), {"progress": "越权"}),
    ]
    for url, data in posts:
        assert leader.post(url, data).status_code == 403
    assert Programme.objects.count() == 1 and not SupervisionVisit.objects.exists()
    step.refresh_from_db()
    assert (step.due_on, step.progress) == (DUE, "")


def test_the_city_staff_move_a_due_date(second_county, programme, client_for):
    step = step_of(second_county, Step.SURVEY, second=True)
    later = DUE + timedelta(days=10)
    response = client_for("city_staff").post(reverse("cities:step_due", args=[step.pk]), {"due_on": later.isoformat()})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.due_on == later
    assert client_for("staff").post(reverse("cities:step_due", args=[step.pk]), {"due_on": TODAY}).status_code == 403


def visit_data(**problems) -> dict:
    data = {
        "visited_on": TODAY.isoformat(),
        "checked": "查阅“评星晋级”台账，抽查三个村",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "20",
    }
    return data | problems


def test_the_city_staff_record_a_visit_and_confirm_its_problems_rectified(second_county, programme, client_for):
    city = client_for("city_staff")
    due = (TODAY + timedelta(days=20)).isoformat()
    data = visit_data(
        **{
            "problems-0-description": "部分村自评材料不全",
            "problems-0-due_on": due,
            "problems-1-description": "考评标准未公开",
            "problems-1-due_on": due,
        }
    )
    assert city.post(reverse("cities:visit_new", args=[YEAR, "331004"]), data).status_code == 302
    visit = SupervisionVisit.objects.get()
    assert (visit.district.name, visit.recorded_by.username) == ("路桥区", "city_staff")
    assert list(visit.problems.values_list("description", "status")) == [
        ("部分村自评材料不全", "open"),
        ("考评标准未公开", "open"),
    ]
    first = visit.problems.get(description="部分村自评材料不全")
    response = city.post(reverse("cities:problem_rectified", args=[first.pk]), {"rectified_on": TODAY.isoformat()})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.rectified_on) == ("rectified", TODAY)
    # The county's staff read the visit on their page; the other county's do not.
    assert "考评标准未公开" in client_for("staff").get(reverse("cities:county", args=[YEAR, "331004"])).content.decode()
    assert client_for("staff").post(reverse("cities:problem_rectified", args=[first.pk]), {}).status_code == 403
    assert (
        client_for("city_staff").post(reverse("cities:problem_rectified", args=[first.pk + 99]), {}).status_code == 404
    )
    assert AuditEvent.objects.filter(target_type="cities.VisitProblem").count() == 3  # two created, one rectified


def test_a_problem_due_before_the_visit_is_refused(second_county, programme, client_for):
    data = visit_data(
        **{"problems-0-description": "台账不全", "problems-0-due_on": (TODAY - timedelta(days=1)).isoformat()}
    )
    response = client_for("city_staff").post(reverse("cities:visit_new", args=[YEAR, "331004"]), data)
    assert response.status_code == 400
    assert "问题的整改期限应在督查之后。" in response.content.decode()
    assert not VisitProblem.objects.exists()


def test_the_daily_job_marks_steps_past_their_due_date_overdue(second_county, programme, client_for):
    cast = second_county
    late = TODAY - timedelta(days=3)
    CountyStep.objects.filter(step__in=[Step.REPORT, Step.SURVEY]).update(due_on=late)
    done = step_of(cast, Step.REPORT)
    act(client_for("staff"), done, "evidence", {"kind": "document", "files": pdf()})
    act(client_for("staff"), done, "complete", {"done_on": TODAY.isoformat(), "progress": "已汇报"})
    assert tasks.mark_overdue.apply().get() == 3  # 路桥区's survey, 黄岩区's report and survey
    overdue = CountyStep.objects.filter(overdue_since__isnull=False)
    assert sorted(overdue.values_list("district__name", "step", "overdue_since")) == [
        ("路桥区", "survey", late),
        ("黄岩区", "report", late),
        ("黄岩区", "survey", late),
    ]
    assert tasks.mark_overdue() == 0  # marked once
    # A due date moved on is no longer overdue.
    moved = step_of(cast, Step.SURVEY)
    client_for("city_staff").post(reverse("cities:step_due", args=[moved.pk]), {"due_on": DUE.isoformat()})
    moved.refresh_from_db()
    assert moved.overdue_since is None
    # The city's to-do lists the two steps still overdue, each a link to its page.
    page = client_for("city_leader").get(reverse("workspace")).content.decode()
    section = page.split('id="todo-five_steps"', 1)[1].split("</section>", 1)[0]
    assert section.count("已逾期") == 2 and "黄岩区 · 专题汇报" in section and "黄岩区 · 调查研究" in section


def test_the_schedule_shows_each_countys_steps_and_the_sheet_says_the_same(second_county, programme, client_for):
    cast = second_county
    late = TODAY - timedelta(days=3)
    CountyStep.objects.filter(district__code="331003", step=Step.SURVEY).update(due_on=late)
    report = step_of(cast, Step.REPORT)
    act(client_for("staff"), report, "evidence", {"kind": "document", "files": pdf()})
    act(client_for("staff"), report, "complete", {"done_on": TODAY.isoformat(), "progress": "已汇报"})
    act(client_for("staff"), step_of(cast, Step.SURVEY), "progress", {"progress": "调研中"})
    city = client_for("city_leader")
    page = city.get(reverse("cities:schedule", args=[YEAR])).content.decode()
    huangyan = page.split('id="county-331003"', 1)[1].split("</tr>", 1)[0]
    assert 'class="down"' in huangyan and "已逾期" in huangyan
    luqiao = page.split('id="county-331004"', 1)[1].split("</tr>", 1)[0]
    assert f"✓ 已完成</span> {TODAY:%Y-%m-%d}" in luqiao and "进行中" in luqiao

    response = city.get(reverse("cities:schedule_export", args=[YEAR]))
    assert response["Content-Disposition"] == f'attachment; filename="five-steps-{YEAR}.xlsx"'
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "区县",
        "专题汇报",
        "专题汇报完成期限",
        "专题汇报完成日期",
        "调查研究",
        "调查研究完成期限",
        "调查研究完成日期",
        "工作方案",
        "工作方案完成期限",
        "工作方案完成日期",
        "动员会议",
        "动员会议完成期限",
        "动员会议完成日期",
        "督促检查",
        "督促检查完成期限",
        "督促检查完成日期",
        "已完成项数",
        "督查次数",
        "待整改问题",
    )
    due, today = f"{DUE:%Y-%m-%d}", f"{TODAY:%Y-%m-%d}"
    assert rows[1:] == [
        (
            "黄岩区",
            "未开始",
            due,
            None,
            "未开始（逾期）",
            f"{late:%Y-%m-%d}",
            None,
            "未开始",
            due,
            None,
            "未开始",
            due,
            None,
            "未开始",
            due,
            None,
            0,
            0,
            0,
        ),
        (
            "路桥区",
            "已完成",
            due,
            today,
            "进行中",
            due,
            None,
            "未开始",
            due,
            None,
            "未开始",
            due,
            None,
            "未开始",
            due,
            None,
            1,
            0,
            0,
        ),
    ]


def test_the_overdue_job_runs_every_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-five-steps-daily"]
    assert (entry["task"], entry["schedule"]) == ("cities.tasks.mark_overdue", timedelta(days=1))
    assert tasks.mark_overdue.name == "cities.tasks.mark_overdue"
