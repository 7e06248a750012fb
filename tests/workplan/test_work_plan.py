"""The yearly work plan (《实施意见》): a county's staff copy the default plan (4 areas, 12 tasks) into a
year and edit its tasks; they and the secretaries of a task's responsible townships report progress
with evidence; the daily job marks late tasks overdue; the plan prints as a 任务清单 and exports as a
sheet; staff and leaders see the tasks due on their to-do page; another county's plan is 404."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from workplan import services, tasks
from workplan.models import PlanTask, ProgressEvidence, WorkPlan
from workplan.standard import STANDARD_PLAN

from ..conftest import TODAY
from ..inspection_helpers import pdf

pytestmark = pytest.mark.usefixtures("on_today")

YEAR = TODAY.year


@pytest.fixture
def plan(cast) -> WorkPlan:
    """This year's default plan, every task due two months ahead (whatever day the suite runs on): each
    test moves the deadlines it is about."""
    plan = services.plan_create(district=cast.township_a.district, year=YEAR, acting_user=cast.users["staff"])
    PlanTask.objects.update(due_on=TODAY + timedelta(days=60))
    return plan


def task_no(number: int) -> PlanTask:
    return PlanTask.objects.get(number=number)


def due(task: PlanTask, day: date) -> PlanTask:
    PlanTask.objects.filter(pk=task.pk).update(due_on=day)
    task.refresh_from_db()
    return task


def plan_url(cast, name: str = "workplan:plan", year: int = YEAR) -> str:
    return reverse(name, args=[cast.township_a.district.code, year])


def task_form(task: PlanTask, **changes) -> dict:
    return {
        "version": task.version,
        "title": task.title,
        "lead_unit": task.lead_unit,
        "responsible_units": task.responsible_units,
        "townships": [township.pk for township in task.townships.all()],
        "due_on": task.due_on.isoformat(),
        **changes,
    }


def test_staff_copy_the_default_plan_of_four_areas_and_twelve_tasks_into_a_year(cast, client_for):
    client = client_for("staff")
    page = client.get(plan_url(cast)).content.decode()
    assert 'id="no-plan"' in page
    response = client.post(plan_url(cast, "workplan:plan_create"))
    assert response.status_code == 302
    plan = WorkPlan.objects.get(district=cast.township_a.district, year=YEAR)
    assert [area.name for area in plan.areas.all()] == ["组织领导", "监督执纪", "文化育廉", "示范建设"]
    assert list(PlanTask.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert sum(len(tasks) for _name, tasks in STANDARD_PLAN) == 12
    page = client.get(plan_url(cast)).content.decode()
    assert "开展村居清廉指数评定并向社会公布" in page
    assert "区纪委党风政风监督室" in page
    # Townships of 各镇（街道） are linked: their secretaries may report.
    assert set(task_no(4).townships.all()) == {cast.township_a, cast.township_b}


def test_the_overdue_job_marks_exactly_the_late_unfinished_tasks(cast, plan):
    late = due(task_no(1), TODAY - timedelta(days=3))
    late_in_progress = due(task_no(2), TODAY - timedelta(days=1))
    services.progress_record(
        task=late_in_progress, note="推进中", done=False, uploads=[], acting_user=cast.users["staff"]
    )
    done = due(task_no(3), TODAY - timedelta(days=5))
    services.progress_record(task=done, note="已完成", done=True, uploads=[], acting_user=cast.users["staff"])
    due(task_no(4), TODAY)  # due today: not late yet

    assert tasks.mark_overdue() == 2

    overdue = dict(PlanTask.objects.exclude(overdue_since=None).values_list("number", "overdue_since"))
    assert overdue == {1: late.due_on, 2: late_in_progress.due_on}
    # Given a later deadline, a task stops being overdue (the edit clears it, the job would too).
    later = services.TaskText(late.title, late.lead_unit, late.responsible_units, [], TODAY + timedelta(days=10))
    services.task_update(task=late, version=late.version, text=later, acting_user=cast.users["staff"])
    assert tasks.mark_overdue() == 0
    assert list(PlanTask.objects.exclude(overdue_since=None).values_list("number", flat=True)) == [2]


def test_the_plan_page_shows_an_overdue_task_in_red(cast, plan, client_for):
    due(task_no(1), TODAY - timedelta(days=3))
    page = client_for("leader").get(plan_url(cast)).content.decode()
    row = page.split('id="task-1"')[1].split("</tr>")[0]
    assert 'class="down overdue"' in row
    assert "已逾期" in row
    assert 'class="down overdue"' not in page.split('id="task-12"')[1].split("</tr>")[0]


def test_another_countys_plan_task_and_evidence_are_404(second_county, plan, client_for):
    cast = second_county
    task = task_no(4)
    services.progress_record(task=task, note="已开展", done=False, uploads=[pdf()], acting_user=cast.users["staff"])
    file = ProgressEvidence.objects.get()
    other = client_for("staff_b")
    for url in (
        plan_url(cast),
        plan_url(cast, "workplan:plan_print"),
        plan_url(cast, "workplan:plan_export"),
        reverse("workplan:task", args=[task.pk]),
        reverse("workplan:task_edit", args=[task.pk]),
        reverse("workplan:evidence", args=[file.pk]),
    ):
        assert other.get(url).status_code == 404, url
    response = other.post(reverse("workplan:task_progress", args=[task.pk]), {"note": "越权"})
    assert response.status_code == 404
    # The city reads every county of the city, and writes nothing.
    assert client_for("city_leader").get(reverse("workplan:task", args=[task.pk])).status_code == 200


def test_a_responsible_townships_secretary_reports_progress_with_evidence(cast, plan, client_for):
    task = task_no(4)  # 各镇（街道）
    response = client_for("secretary_a").post(
        reverse("workplan:task_progress", args=[task.pk]), {"note": "已完成本镇评定", "files": [pdf("评定台账.pdf")]}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == PlanTask.Status.IN_PROGRESS
    file = ProgressEvidence.objects.get()
    assert file.original_name == "评定台账.pdf"
    page = client_for("leader").get(reverse("workplan:task", args=[task.pk])).content.decode()
    assert "已完成本镇评定" in page
    assert reverse("workplan:evidence", args=[file.pk]) in page
    download = client_for("leader").get(reverse("workplan:evidence", args=[file.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_a_secretary_of_a_township_not_responsible_cannot_report(cast, plan, client_for):
    task = task_no(1)  # 区委组织部 only
    response = client_for("secretary_a").post(reverse("workplan:task_progress", args=[task.pk]), {"note": "越权"})
    assert response.status_code == 403
    assert not task.progress_reports.exists()


def test_staff_complete_a_task_and_no_more_progress_is_taken(cast, plan, client_for):
    task = task_no(1)
    client = client_for("staff")
    url = reverse("workplan:task_progress", args=[task.pk])
    assert client.post(url, {"note": "已印发实施意见", "done": "on", "files": [pdf()]}).status_code == 302
    task.refresh_from_db()
    assert (task.status, task.done_on) == (PlanTask.Status.DONE, TODAY)
    response = client.post(url, {"note": "再报一次"})
    assert response.status_code == 400
    assert "该任务已完成，不再报送进展。" in response.content.decode()
    assert task.progress_reports.count() == 1


def test_a_progress_form_error_keeps_what_was_typed(cast, plan, client_for):
    task = task_no(1)
    not_a_pdf = SimpleUploadedFile("说明.pdf", b"just text", content_type="application/pdf")
    response = client_for("staff").post(
        reverse("workplan:task_progress", args=[task.pk]), {"note": "写了一半的进展", "files": [not_a_pdf]}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "写了一半的进展" in page
    assert "说明.pdf" in page  # the refusal names the file
    assert not task.progress_reports.exists()


def test_a_task_form_error_keeps_what_was_typed(cast, plan, client_for):
    task = task_no(2)
    response = client_for("staff").post(
        reverse("workplan:task_edit", args=[task.pk]), task_form(task, lead_unit="", title="改写后的任务")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "改写后的任务" in page
    task.refresh_from_db()
    assert task.title != "改写后的任务"


def test_staff_add_a_task_to_an_area_numbered_after_the_last(cast, plan, client_for):
    area = plan.areas.get(position=2)
    response = client_for("staff").post(
        reverse("workplan:task_new", args=[area.pk]),
        {
            "title": "开展涉纪信访“掛牌销号”专项行动",
            "lead_unit": "区纪委信访室",
            "responsible_units": "",
            "townships": [cast.township_b.pk],
            "due_on": f"{YEAR}-11-30",
        },
    )
    assert response.status_code == 302
    added = PlanTask.objects.get(number=13)
    assert added.area == area
    assert list(added.townships.all()) == [cast.township_b]


def test_a_stale_edit_is_refused_with_what_was_typed_kept(cast, plan, client_for):
    task = task_no(2)
    stale = task_form(task, title="我的改写")
    first = client_for("staff").post(reverse("workplan:task_edit", args=[task.pk]), task_form(task, title="同事先改的"))
    assert first.status_code == 302
    response = client_for("staff").post(reverse("workplan:task_edit", args=[task.pk]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "我的改写" in page  # what was typed
    assert "同事先改的" in page  # the task as it stands now
    task.refresh_from_db()
    assert (task.title, task.version) == ("同事先改的", 2)


def test_the_sheet_lists_every_task_with_its_units_deadline_and_status(cast, plan, client_for):
    due(task_no(1), TODAY - timedelta(days=2))
    response = client_for("leader").get(plan_url(cast, "workplan:plan_export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("编号", "方面", "任务", "牵头单位", "责任单位", "责任镇（街道）", "期限", "状态", "完成日期")
    assert len(rows) == 13
    first = rows[1]
    assert first[:4] == (1, "组织领导", "研究部署“清廉乡村”建设，制定年度实施意见和工作要点", "区纪委区监委")
    assert first[6:8] == ((TODAY - timedelta(days=2)).isoformat(), "未开始（逾期）")
    assert rows[4][5] == "路桥街道、路南街道"


def test_the_printable_task_list_has_every_task_by_area(cast, plan, client_for):
    response = client_for("secretary_b").get(plan_url(cast, "workplan:plan_print"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "任务清单" in page
    assert "workplan/print.css" in page
    table = page.split('id="task-list"')[1]
    assert table.count('class="area"') == 4
    assert table.count("<tr>") == 13  # the heading row and twelve tasks


def test_staff_and_leaders_see_tasks_due_within_a_week_or_overdue_on_their_to_do(cast, plan, client_for):
    late = due(task_no(1), TODAY - timedelta(days=1))
    soon = due(task_no(2), TODAY + timedelta(days=3))
    due(task_no(3), TODAY + timedelta(days=30))
    done = due(task_no(5), TODAY - timedelta(days=1))
    services.progress_record(task=done, note="已完成", done=True, uploads=[], acting_user=cast.users["staff"])
    for name in ("staff", "leader"):
        page = client_for(name).get(reverse("workspace")).content.decode()
        section = page.split('id="todo-work_plan"')[1].split("</section>")[0]
        assert reverse("workplan:task", args=[late.pk]) in section
        assert reverse("workplan:task", args=[soon.pk]) in section
        assert section.count('href="/work-plan/tasks/') == 2, name


def test_the_plan_page_reads_a_fixed_number_of_queries(cast, plan, client_for, django_assert_max_num_queries):
    client = client_for("leader")
    client.get(plan_url(cast))
    with django_assert_max_num_queries(14):
        assert client.get(plan_url(cast)).status_code == 200


def test_the_overdue_job_runs_every_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-work-plan-daily"]
    assert (entry["task"], entry["schedule"]) == ("workplan.tasks.mark_overdue", timedelta(days=1))
    assert tasks.mark_overdue.name == "workplan.tasks.mark_overdue"


def test_changing_a_tasks_responsible_townships_leaves_an_audit_row_with_before_and_after(cast, plan, client_for):
    task = next(task for task in PlanTask.objects.order_by("number") if task.townships.count() > 1)
    before = sorted(f"{township.code} {township.name}" for township in task.townships.all())
    url = reverse("workplan:task_edit", args=[task.pk])
    assert client_for("staff").post(url, task_form(task, townships=[cast.township_b.pk])).status_code == 302
    row = AuditEvent.objects.filter(target_type="workplan.PlanTask", target_id=str(task.pk)).latest("seq")
    assert row.actor == cast.users["staff"]
    assert row.data == {
        "changes": {"townships": {"before": before, "after": [f"{cast.township_b.code} {cast.township_b.name}"]}}
    }
    task.refresh_from_db()
    saved = AuditEvent.objects.count()
    assert client_for("staff").post(url, task_form(task)).status_code == 302  # the same townships again
    assert not AuditEvent.objects.filter(seq__gt=saved, data__changes__has_key="townships").exists()
