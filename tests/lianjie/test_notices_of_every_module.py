"""Every module tells the person who must act next: the staff member who asked for a batch of reports when
it ends (with any failure named), whoever answers a star objection when one is recorded, staff when the
daily job finds veto items hitting fixed stars, a finding's follower when it passes its due date. Each
occasion is told once; the header counts the notice until it is read."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Notice
from accounts.roles import Role
from inspections import services as inspection_services
from reports import tasks as report_tasks
from reports.models import ReportBatch
from stars import services as star_services
from stars.models import StarVetoItem

from ..factories import UserFactory
from ..inspection_helpers import finding
from ..star_helpers import decided, fixed


def inbox(user) -> list[tuple[str, str]]:
    return list(Notice.objects.filter(user=user).values_list("text", "link"))


@pytest.fixture
def second_staff(cast):
    return UserFactory(username="staff_2", full_name="案管干部", role=Role.COMMISSION_STAFF)


# --- Reports ------------------------------------------------------------------------------------------


def build(cast, batch: ReportBatch, township, job_id: str) -> str:
    """One job of the batch, run as the worker runs it."""
    return report_tasks.build_report(job_id, batch.year, township.pk, cast.users["staff"].pk, batch.pk)


def test_the_staff_member_who_asked_for_the_reports_is_told_once_when_the_last_is_built(
    cast, year_2025, second_staff, client_for
):
    batch = ReportBatch.objects.create(
        year=2025, total=2, requested_by=cast.users["staff"], district=cast.township_a.district
    )
    build(cast, batch, cast.township_a, "job-a")
    assert inbox(cast.users["staff"]) == []  # one of two built: not finished
    build(cast, batch, cast.township_b, "job-b")
    build(cast, batch, cast.township_b, "job-b")  # the broker delivered the last job again
    assert inbox(cast.users["staff"]) == [("2025年度分析报告已生成：共2份，已生成2份。", "/reports/?year=2025")]
    assert inbox(second_staff) == [] and inbox(cast.users["leader"]) == []

    client = client_for("staff")
    page = client.get(reverse("workspace")).content.decode()
    assert '<span class="badge" id="unread-notices" title="未读">1</span>' in page
    notices = client.get(reverse("accounts:notices")).content.decode()
    assert '<a href="/reports/?year=2025">2025年度分析报告已生成：共2份，已生成2份。</a>' in notices
    assert client.get("/reports/?year=2025").status_code == 200
    assert 'id="unread-notices"' not in client.get(reverse("workspace")).content.decode()


def test_a_batch_with_a_failed_report_names_it_in_the_notice(cast, year_2025, monkeypatch):
    batch = ReportBatch.objects.create(
        year=2025, total=2, requested_by=cast.users["staff"], district=cast.township_a.district
    )
    build(cast, batch, cast.township_a, "job-a")

    def no_font(**kwargs):
        raise RuntimeError("找不到中文字体")

    monkeypatch.setattr(report_tasks, "build", no_font)
    with pytest.raises(RuntimeError):
        build(cast, batch, cast.township_b, "job-b")
    assert inbox(cast.users["staff"]) == [
        ("2025年度分析报告已结束：共2份，已生成1份，生成失败：路南街道。请重新生成。", "/reports/?year=2025")
    ]


# --- Star objections and veto hits --------------------------------------------------------------------


@pytest.mark.parametrize(("level", "answers"), [(2, "secretary_a"), (4, "leader")])
def test_a_recorded_objection_tells_whoever_answers_it(cast, level, answers, django_capture_on_commit_callbacks):
    application = decided(cast, level, total="97" if level > 3 else "75")
    with django_capture_on_commit_callbacks(execute=True):
        star_services.objection_record(
            application=application,
            acting_user=cast.users["staff"],
            received_on=date(2025, 12, 2),
            channel="phone",
            content="群众反映公示材料不实",
        )
    link = reverse("stars:application", args=[application.pk])
    told = f"{cast.users['staff']}登记了对石曲村评星结果的异议（2025-12-02收到），请答复。"
    assert inbox(cast.users[answers]) == [(told, link)]
    others = {"secretary_a", "leader", "secretary_b", "staff"} - {answers}
    assert all(inbox(cast.users[name]) == [] for name in others)


def test_veto_hits_found_by_the_daily_job_tell_every_staff_member_once(
    cast, second_staff, django_capture_on_commit_callbacks
):
    rated = fixed(cast, 4)
    recorded = StarVetoItem.objects.get(criteria=rated.criteria, rule=StarVetoItem.Rule.RECORDED)
    star_services.veto_record(
        application=rated, acting_user=cast.users["staff"], item=recorded, occurred_on=date(2025, 12, 20), reason="违纪"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert star_services.veto_hits_find() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert star_services.veto_hits_find() == 0
    expected = [("否决事项涉及已定星的石曲村，请摘星或说明理由。", reverse("stars:veto_hits"))]
    assert inbox(cast.users["staff"]) == expected and inbox(second_staff) == expected
    assert inbox(cast.users["leader"]) == [] and inbox(cast.users["secretary_a"]) == []


# --- Findings -----------------------------------------------------------------------------------------


def test_a_finding_past_its_due_date_tells_its_follower_once(cast, django_capture_on_commit_callbacks):
    late = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 6, 30), owner="staff")  # not yet due
    for day in (date(2025, 5, 1), date(2025, 5, 2)):
        with django_capture_on_commit_callbacks(execute=True):
            inspection_services.overdue_mark(day)
    link = reverse("inspections:finding", args=[late.pk])
    assert inbox(cast.users["secretary_a"]) == [("石曲村问题（集体资金坐收坐支）已超过整改期限（2025-04-30）。", link)]
    assert inbox(cast.users["staff"]) == []


def test_a_finding_submitted_for_closure_is_marked_overdue_without_telling_its_follower(
    cast, django_capture_on_commit_callbacks
):
    waiting = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    type(waiting).objects.filter(pk=waiting.pk).update(status=type(waiting).Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert inspection_services.overdue_mark(date(2025, 5, 1)) == 1  # marked: the ledger shows it late
    assert inbox(cast.users["secretary_a"]) == []  # but it waits for staff, not for the follower


def test_a_finding_given_a_new_date_and_missing_it_again_tells_its_follower_again(
    cast, django_capture_on_commit_callbacks
):
    late = finding(cast, found_on=date(2025, 3, 1), due_on=date(2025, 4, 30))
    with django_capture_on_commit_callbacks(execute=True):
        inspection_services.overdue_mark(date(2025, 5, 1))
    type(late).objects.filter(pk=late.pk).update(due_on=date(2025, 5, 31))
    for day in (date(2025, 5, 2), date(2025, 6, 1)):  # cleared, then late again
        with django_capture_on_commit_callbacks(execute=True):
            inspection_services.overdue_mark(day)
    link = reverse("inspections:finding", args=[late.pk])
    assert inbox(cast.users["secretary_a"]) == [  # newest first
        ("石曲村问题（集体资金坐收坐支）已超过整改期限（2025-05-31）。", link),
        ("石曲村问题（集体资金坐收坐支）已超过整改期限（2025-04-30）。", link),
    ]
