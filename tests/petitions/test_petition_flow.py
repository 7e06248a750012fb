"""The flow of a petition and its legal clocks: accept within 5 working days, tell a named petitioner
within 15, conclude within 60 days (extended once, by a leader, by up to 30), feed back within 15 working
days; beside them each 五字 class's target (calendar days of acceptance, an internal clock) shown apart from
the legal one; a case about a township official is never transferred to that township; overdue cases are
found by the daily job (also through a real worker on Redis) and their handler notified."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from lianjie.celery import app
from petitions import services, tasks
from petitions.models import Petition
from scoring.models import Indicator, Score

from ..petition_helpers import accepted, concluded, register
from ..scoring_helpers import make_round


def test_the_clocks_follow_the_working_day_calendar(cast):
    petition = register(cast, identity="李四", received_on=date(2025, 9, 26))
    assert petition.accept_due == date(2025, 10, 10)  # 5 working days across 国庆
    accepted(cast, petition, on=date(2025, 9, 30))
    petition.refresh_from_db()
    assert petition.notify_due == date(2025, 10, 28)  # 15 working days
    assert petition.conclude_due == date(2025, 11, 29)  # 60 days
    services.petition_start(petition=petition, acting_user=cast.users["petition"])
    services.petition_conclude(
        petition=petition,
        acting_user=cast.users["petition"],
        conclusion="partly",
        result="部分属实",
        on=date(2025, 12, 31),
    )
    petition.refresh_from_db()
    assert petition.feedback_due == date(2026, 1, 22)  # 15 working days after 元旦
    assert [step.action for step in petition.steps.all()] == ["register", "accept", "start", "conclude"]


def test_an_anonymous_petition_has_no_notify_clock(cast):
    petition = accepted(cast, register(cast))
    assert petition.notify_due is None


def test_a_simple_case_gets_its_30_day_class_target_beside_the_60_day_legal_clock(cast):
    simple = accepted(cast, register(cast))  # accepted 2025-03-05
    hard = accepted(cast, register(cast), code="hard")
    # Calendar days: 2025-04-04 is 清明, a day off, and still the simple case's target.
    assert (simple.conclude_due, simple.target_due) == (date(2025, 5, 4), date(2025, 4, 4))
    assert (hard.conclude_due, hard.target_due) == (date(2025, 5, 4), date(2025, 6, 3))
    extended = services.extension_approve(petition=simple, acting_user=cast.users["leader"], days=30, reason="复杂")
    assert (extended.conclude_due, extended.target_due) == (date(2025, 6, 3), date(2025, 4, 4))  # the law moves


def test_the_case_page_and_the_due_lists_mark_past_its_class_target_apart_from_overdue(cast, client_for):
    today = timezone.localdate()
    slow = register(cast, received_on=today - timedelta(days=40), summary="简案超目标")
    accepted(cast, slow, on=today - timedelta(days=35))  # its 30 days are over, the legal 60 are not
    late = register(cast, received_on=today - timedelta(days=70), summary="难案已超期")
    accepted(cast, late, on=today - timedelta(days=61), code="hard")  # the legal 60 days are over, its 90 not
    services.overdue_mark(today)
    officer = client_for("petition")

    due = officer.get(reverse("petitions:due"))
    assert [case.petition.summary for case in due.context["overdue"]] == ["难案已超期"]
    assert [petition.summary for petition in due.context["past_target"]] == ["简案超目标"]
    text = due.content.decode()
    slow_target, late_target = today - timedelta(days=5), today + timedelta(days=29)
    assert f'<td>{slow_target:%Y-%m-%d} <span class="down">超五字目标时限</span></td>' in text
    late_row = text.split(f"信访件 {late.pk}</a>", 1)[1].split("</tr>", 1)[0]
    assert f'<td data-label="法定期限">{today - timedelta(days=1):%Y-%m-%d}</td>' in late_row
    assert f'<td data-label="五字目标时限">{late_target:%Y-%m-%d}</td>' in late_row  # its class target not yet past

    slow_page = officer.get(reverse("petitions:petition", args=[slow.pk])).content.decode()
    assert f"五字目标时限</dt><dd>{slow_target:%Y-%m-%d} · 内部目标，非法定时限" in slow_page
    assert "超五字目标时限" in slow_page and "已逾期" not in slow_page
    late_page = officer.get(reverse("petitions:petition", args=[late.pk])).content.decode()
    assert f"五字目标时限</dt><dd>{late_target:%Y-%m-%d} · 内部目标，非法定时限" in late_page
    assert "已逾期" in late_page and "超五字目标时限" not in late_page


def test_a_case_about_a_township_official_is_not_transferred_to_that_township(cast):
    petition = register(cast, subject_is_township_official=True, subject_post="镇农办主任")
    with pytest.raises(ValidationError) as error:
        services.petition_transfer(
            petition=petition,
            acting_user=cast.users["petition"],
            to_unit="路桥街道纪工委",
            to_township=cast.township_a,
            opinion="转办",
            on=date(2025, 3, 4),
        )
    assert error.value.code == "conflict_of_interest"
    moved = services.petition_transfer(
        petition=petition,
        acting_user=cast.users["petition"],
        to_unit="区纪委第一室",
        to_township=None,
        opinion="",
        on=date(2025, 3, 4),
    )
    assert moved.status == Petition.Status.TRANSFERRED


def test_an_extension_needs_a_leader_and_moves_the_due_date_once(cast):
    petition = accepted(cast, register(cast))
    due = petition.conclude_due
    with pytest.raises(PermissionDenied):
        services.extension_approve(petition=petition, acting_user=cast.users["petition"], days=30, reason="复杂")
    with pytest.raises(ValidationError) as error:
        services.extension_approve(petition=petition, acting_user=cast.users["leader"], days=31, reason="复杂")
    assert error.value.code == "too_long"
    extended = services.extension_approve(
        petition=petition, acting_user=cast.users["leader"], days=30, reason="需调取银行流水"
    )
    assert extended.conclude_due == due + timedelta(days=30)
    assert extended.extension_approved_by == cast.users["leader"]
    with pytest.raises(ValidationError) as error:
        services.extension_approve(petition=petition, acting_user=cast.users["leader"], days=5, reason="再延")
    assert error.value.code == "twice"


def test_steps_out_of_order_are_refused(cast):
    petition = register(cast)
    with pytest.raises(ValidationError) as refused:
        services.petition_conclude(
            petition=petition, acting_user=cast.users["petition"], conclusion="true", result="x", on=date(2025, 3, 4)
        )
    assert (refused.value.code, refused.value.messages) == ("wrong_status", ["当前状态下不能进行此操作。"])
    with pytest.raises(PermissionDenied):
        services.petition_start(petition=petition, acting_user=cast.users["staff"])


def test_the_daily_job_marks_overdue_and_notifies_the_handler(cast):
    late = register(cast, received_on=date(2025, 3, 3))  # accept by 2025-03-10
    on_time = register(cast, received_on=date(2025, 3, 7))  # accept by 2025-03-14
    assert services.overdue_mark(today=date(2025, 3, 10)) == 0
    assert services.overdue_mark(today=date(2025, 3, 11)) == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.overdue_since == date(2025, 3, 10) and on_time.overdue_since is None
    notice = Notice.objects.get(link=f"/petitions/{late.pk}/")
    assert notice.user == cast.users["petition"] and notice.text == f"信访件{late.pk}已超过办理时限（2025-03-10）"
    services.overdue_mark(today=date(2025, 3, 12))
    assert Notice.objects.filter(link=f"/petitions/{late.pk}/").count() == 1  # notified once


def test_due_soon_and_overdue_lists(cast, client_for):
    register(cast, received_on=date.today() - timedelta(days=30), summary="早已超期")
    register(cast, received_on=date.today(), summary="刚刚收到")
    page = client_for("petition").get(reverse("petitions:due"))
    overdue = [case.petition.summary for case in page.context["overdue"]]
    assert overdue == ["早已超期"]


def test_a_concluded_petition_can_be_cited_for_a_deduction(cast, client_for):
    petition = concluded(cast, register(cast))
    round_ = make_round("2025")
    indicator = Indicator.objects.get(scheme=round_.period.scheme, code="CW2")
    response = client_for("staff").post(
        reverse("petitions:action", args=[petition.pk, "cite"]),
        {"round": round_.pk, "indicator": indicator.pk, "points": "3"},
    )
    assert response.status_code == 302
    score = Score.objects.get(round=round_, village=cast.village_a, indicator=indicator)
    assert score.petition == petition and score.reason == "涉纪信访经查属实：三资管理问题"


def test_the_overdue_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["mark-overdue-petitions-daily"]
    assert (entry["task"], entry["schedule"].total_seconds()) == ("petitions.tasks.mark_overdue", 86_400)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_marks_overdue_petitions_over_redis(cast):
    from celery.contrib.testing.worker import start_worker

    petition = register(cast, received_on=date(2024, 3, 1))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert tasks.mark_overdue.delay().get(timeout=30) == 1
    petition.refresh_from_db()
    assert petition.overdue_since == petition.accept_due
