"""乡镇重大事项决策结果即时上报 (五有一化): a township's secretary reports each major decision within the
county's working days (3 by default; weekends, holidays, 调休 and the administrator's overrides counted); a
late or incomplete report is flagged; the county's staff accept it or return it to be completed (the
secretary is told); figures per township and a sheet of the year; the public page shows only what was made
public, never the minutes, the review or who reported it; another township's or county's report is 404."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Notice
from decisions import services
from decisions.demo import seed_decisions
from decisions.models import MajorDecision, ReportingRule
from decisions.standard import EVALUATION_DUE_DAYS
from petitions.models import WorkingDayOverride

from ..conftest import TODAY
from ..inspection_helpers import pdf

pytestmark = pytest.mark.usefixtures("on_today")

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY = date(2025, 6, 6)

COMPLETE = {
    "category": "project",
    "subject": "村级道路硬化工程",
    "amount": Decimal("1860000"),
    "rules_basis": "《乡镇三重一大事项集体决策制度》",
    "proposal": "镇党委书记提议",
    "deliberation": "征求人大代表和村民代表意见",
    "vote": "应到9人、实到8人，8票同意",
    "monitor": "镇纪委",
    "accountability": "按责任追究办法追究",
    "made_public": True,
    "public_where": "镇政务公开栏",
    "public_summary": "同意实施村级道路硬化工程",
}


def text(**changes) -> services.DecisionText:
    return services.DecisionText(**{**COMPLETE, "decided_on": FRIDAY, **changes})


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def report(cast, *, minutes=True, township=None, now=None, **changes) -> MajorDecision:
    township = township or cast.township_a
    secretary = cast.users["secretary_a" if township == cast.township_a else "secretary_b"]
    decided_on = changes.get("decided_on", FRIDAY)
    return services.decision_report(
        township=township,
        text=text(**changes),
        minutes=[pdf("党委会议纪要.pdf")] if minutes else [],
        acting_user=secretary,
        now=now or at(decided_on + timedelta(days=1)),
    )


def form_data(decision: MajorDecision | None = None, **changes) -> dict:
    data = {**COMPLETE, "amount": "1860000", "made_public": "on", "decided_on": FRIDAY.isoformat()}
    if decision:
        data["version"] = decision.version
    return {**data, **changes}


# --- The deadline ------------------------------------------------------------------------------------------


def test_a_decision_of_a_friday_is_due_three_working_days_later_after_the_weekend(cast):
    assert services.due_date(FRIDAY, cast.township_a.district_id) == date(2025, 6, 11)


def test_national_day_is_skipped_and_its_make_up_saturday_counts(cast):
    # 2025: 1–8 October off; Saturday 11 October a make-up working day (调休).
    assert services.due_date(date(2025, 9, 30), cast.township_a.district_id) == date(2025, 10, 11)


def test_a_make_up_sunday_counts_as_a_working_day(cast):
    # Sunday 28 September 2025 is worked (调休) for National Day.
    assert services.due_date(date(2025, 9, 26), cast.township_a.district_id) == date(2025, 9, 30)


def test_a_day_the_administrator_marks_off_is_not_counted(cast):
    WorkingDayOverride.objects.create(day=date(2025, 6, 9), working=False, note="台风停工")
    assert services.due_date(FRIDAY, cast.township_a.district_id) == date(2025, 6, 12)


def test_the_county_rule_overrides_the_city_default_which_overrides_three(cast, second_county):
    assert services.working_days_of(cast.township_a.district_id) == 3
    ReportingRule.objects.create(district=None, working_days=5)
    assert services.due_date(FRIDAY, cast.township_a.district_id) == date(2025, 6, 13)
    ReportingRule.objects.create(district=cast.township_a.district, working_days=2)
    assert services.due_date(FRIDAY, cast.township_a.district_id) == date(2025, 6, 10)
    assert services.working_days_of(cast.township_c.district_id) == 5


def test_the_county_staff_set_their_deadline_on_their_page(cast, client_for):
    url = reverse("decisions:rule", args=[cast.township_a.district.code])
    response = client_for("staff").post(url, {"working_days": 4})
    assert response.status_code == 302
    assert ReportingRule.objects.get(district=cast.township_a.district).working_days == 4
    assert report(cast).due_on == date(2025, 6, 12)


# --- Late and incomplete -----------------------------------------------------------------------------------


def test_a_report_on_the_due_date_local_time_is_on_time_and_the_day_after_is_late(cast):
    on_time = report(cast, now=at(date(2025, 6, 11), 23, 30))  # 15:30 UTC: still the 11th in Shanghai
    late = report(cast, now=at(date(2025, 6, 12), 0, 10))
    assert (on_time.due_on, on_time.late, late.late) == (date(2025, 6, 11), False, True)


def test_a_secretary_reporting_a_decision_past_its_due_date_sees_it_marked_late(cast, client_for):
    decided = TODAY - timedelta(days=30)
    response = client_for("secretary_a").post(
        reverse("decisions:new", args=[cast.township_a.code]),
        form_data(decided_on=decided.isoformat(), minutes=pdf()),
        follow=True,
    )
    decision = MajorDecision.objects.get()
    assert decision.late and decision.reported_by == cast.users["secretary_a"]
    assert decision.minutes.count() == 1
    assert "迟报" in response.content.decode() or "逾期" in response.content.decode()


def test_a_report_without_minutes_or_monitor_is_incomplete_on_every_page(cast, client_for):
    decision = report(cast, minutes=False, monitor="")
    assert services.missing_parts(decision) == ["监督主体（有监控）", "会议记录（有程序）"]
    staff = client_for("staff")
    page = staff.get(reverse("decisions:decision", args=[decision.pk])).content.decode()
    assert "有监控" in page and "不完整" in page
    listing = staff.get(reverse("decisions:list", args=[cast.township_a.district.code, 2025])).content.decode()
    assert "不完整" in listing
    figures = staff.get(reverse("decisions:figures", args=[cast.township_a.district.code, 2025]))
    line = next(line for line in figures.context["lines"] if line.township == cast.township_a)
    assert (line.reports, line.incomplete, line.made_public) == (1, 1, 1)


def test_an_incomplete_report_cannot_be_accepted_only_returned(cast):
    decision = report(cast, minutes=False)
    with pytest.raises(ValidationError, match="有程序"):
        services.decision_review(
            decision=decision, version=decision.version, accept=True, opinion="", acting_user=cast.users["staff"]
        )


def test_the_evaluation_is_due_after_ninety_days_and_clears_once_given(cast):
    decided = TODAY - timedelta(days=EVALUATION_DUE_DAYS + 1)
    decision = report(cast, decided_on=decided, now=timezone.now())
    assert services.flags_of(decision, TODAY).evaluation_due
    decision = services.decision_evaluate(
        decision=decision,
        version=decision.version,
        evaluation="工程已完工，群众满意",
        evaluated_on=TODAY,
        acting_user=cast.users["secretary_a"],
    )
    assert not services.flags_of(decision, TODAY).evaluation_due
    assert services.flags_of(report(cast, made_public=False), TODAY).not_public


# --- Numbering ---------------------------------------------------------------------------------------------


def test_reports_are_numbered_per_township_and_year(cast):
    first, second = report(cast), report(cast, subject="集体资产出租")
    next_year = report(cast, decided_on=date(2026, 1, 5), now=at(date(2026, 1, 6)))
    other = report(cast, township=cast.township_b)
    assert [first.number, second.number, next_year.number, other.number] == [1, 2, 1, 1]
    assert next_year.year == 2026


def test_a_decision_in_the_future_is_refused(cast):
    with pytest.raises(ValidationError):
        report(cast, decided_on=TODAY + timedelta(days=1), now=timezone.now())


# --- Review ------------------------------------------------------------------------------------------------


def test_staff_return_a_report_with_an_opinion_and_the_secretary_is_told(
    cast, client_for, django_capture_on_commit_callbacks
):
    decision = report(cast)
    url = reverse("decisions:review", args=[decision.pk])
    staff = client_for("staff")
    refused = staff.post(url, {"version": decision.version, "outcome": "return", "opinion": ""})
    assert refused.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"version": decision.version, "outcome": "return", "opinion": "请补充资金来源"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.review_opinion) == (MajorDecision.Status.RETURNED, "请补充资金来源")
    notice = Notice.objects.get(user=cast.users["secretary_a"])
    assert "请补充资金来源" in notice.text
    todo = client_for("secretary_a").get(reverse("workspace")).content.decode()
    assert "村级道路硬化工程" in todo


def test_a_completed_returned_report_goes_back_to_review_and_staff_accept_it(
    cast, client_for, django_capture_on_commit_callbacks
):
    decision = report(cast)
    decision = services.decision_review(
        decision=decision, version=decision.version, accept=False, opinion="补充", acting_user=cast.users["staff"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretary_a").post(
            reverse("decisions:edit", args=[decision.pk]), form_data(decision, deliberation="补充征求意见情况")
        )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == MajorDecision.Status.REPORTED
    assert Notice.objects.filter(user=cast.users["staff"]).exists()
    response = client_for("staff").post(
        reverse("decisions:review", args=[decision.pk]), {"version": decision.version, "outcome": "accept"}
    )
    decision.refresh_from_db()
    assert (response.status_code, decision.status) == (302, MajorDecision.Status.ACCEPTED)
    assert client_for("secretary_a").get(reverse("decisions:edit", args=[decision.pk])).status_code == 302


def test_the_county_staff_are_told_of_each_new_report_and_of_a_late_one(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(cast)
        report(cast, now=at(date(2025, 6, 20)))
    texts = sorted(Notice.objects.filter(user=cast.users["staff"]).values_list("text", flat=True))
    assert len(texts) == 2 and any("迟报" in text or "逾期" in text for text in texts)


# --- Forms ---------------------------------------------------------------------------------------------------


def test_a_refused_form_keeps_what_was_typed(cast, client_for):
    response = client_for("secretary_a").post(
        reverse("decisions:new", args=[cast.township_a.code]),
        form_data(subject="防汛物资采购", public_where="", minutes=pdf()),
    )
    assert response.status_code == 400
    assert "防汛物资采购" in response.content.decode()
    assert not MajorDecision.objects.exists()


def test_minutes_that_are_not_a_document_are_refused_and_nothing_is_saved(cast, client_for):
    fake = SimpleUploadedFile("纪要.pdf", b"<html><script>alert(1)</script></html>")
    response = client_for("secretary_a").post(
        reverse("decisions:new", args=[cast.township_a.code]), form_data(minutes=fake)
    )
    assert response.status_code == 400
    assert not MajorDecision.objects.exists()


def test_an_edit_against_an_older_version_is_refused_in_chinese(cast, client_for):
    decision = report(cast)
    stale = form_data(decision, subject="我的修改")
    services.decision_update(
        decision=decision,
        version=decision.version,
        text=text(subject="他人修改"),
        acting_user=cast.users["secretary_a"],
    )
    response = client_for("secretary_a").post(reverse("decisions:edit", args=[decision.pk]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "他人在您填写期间修改了此" in page and "我的修改" in page
    decision.refresh_from_db()
    assert decision.subject == "他人修改"


# --- Scoping -------------------------------------------------------------------------------------------------


def test_another_townships_secretary_and_another_countys_staff_get_404(cast, second_county, client_for):
    decision = report(cast)
    minutes = decision.minutes.get()
    for role in ("secretary_b", "staff_b", "leader_b"):
        client = client_for(role)
        assert client.get(reverse("decisions:decision", args=[decision.pk])).status_code == 404, role
        assert client.get(reverse("decisions:minutes", args=[minutes.pk])).status_code == 404, role
    edit = reverse("decisions:edit", args=[decision.pk])
    assert client_for("secretary_b").post(edit, form_data(decision)).status_code == 404
    assert (
        client_for("staff_b")
        .post(reverse("decisions:review", args=[decision.pk]), {"version": 1, "outcome": "accept"})
        .status_code
        == 404
    )
    assert client_for("city_staff").get(reverse("decisions:decision", args=[decision.pk])).status_code == 200
    anonymous = client_for("anonymous").get(reverse("decisions:decision", args=[decision.pk]))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]


def test_a_secretary_reads_only_the_own_townships_reports(cast, client_for):
    report(cast, subject="路桥街道的决策")
    report(cast, township=cast.township_b, subject="路南街道的决策")
    page = client_for("secretary_b").get(reverse("decisions:list", args=[cast.township_a.district.code, 2025]))
    assert "路南街道的决策" in page.content.decode() and "路桥街道的决策" not in page.content.decode()


# --- Public page, sheet, query counts ----------------------------------------------------------------------


def test_the_public_page_shows_only_public_reports_and_never_minutes_opinions_or_reporters(cast, client_for):
    shown = report(cast, subject="公开的道路工程")
    report(cast, subject="未公开的人事调整", made_public=False, public_where="", public_summary="")
    services.decision_review(
        decision=shown, version=shown.version, accept=True, opinion="内部审核意见", acting_user=cast.users["staff"]
    )
    page = (
        client_for("anonymous")
        .get(reverse("decisions_public:county", args=[cast.township_a.district.code, 2025]))
        .content.decode()
    )
    assert "公开的道路工程" in page and "同意实施村级道路硬化工程" in page and "镇政务公开栏" in page
    assert "未公开的人事调整" not in page
    assert "内部审核意见" not in page and "党委会议纪要" not in page and "secretary_a" not in page
    assert "/minutes/" not in page
    index = client_for("anonymous").get(reverse("decisions_public:index")).content.decode()
    assert reverse("decisions_public:county", args=[cast.township_a.district.code, 2025]) in index


def test_the_years_sheet_has_a_row_per_report_with_its_flags(cast, client_for):
    report(cast)
    report(cast, minutes=False, subject="集体资产出租", now=at(date(2025, 6, 20)))
    response = client_for("leader").get(reverse("decisions:export", args=[cast.township_a.district.code, 2025]))
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert rows[2][3] == "集体资产出租" and rows[2][8] == "是" and "有程序" in rows[2][9]
    assert rows[1][8] == "否" and rows[1][9] in ("", None)


@pytest.mark.parametrize(
    ("name", "public"), [("decisions:list", False), ("decisions:figures", False), ("decisions_public:county", True)]
)
def test_list_pages_take_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, name, public):
    for number in range(6):
        report(cast, subject=f"决策{number}", township=cast.township_a if number % 2 else cast.township_b)
    client = client_for("anonymous" if public else "staff")
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name, args=[cast.township_a.district.code, 2025]))
    assert response.status_code == 200


# --- Demo ----------------------------------------------------------------------------------------------------


def test_the_demo_reports_decisions_some_late_one_returned_one_incomplete_most_public(cast):
    secretaries = {cast.township_a.pk: cast.users["secretary_a"], cast.township_b.pk: cast.users["secretary_b"]}
    made = seed_decisions(district=cast.township_a.district, staff=cast.users["staff"], secretaries=secretaries)
    rows = list(MajorDecision.objects.all())
    assert made == len(rows) == 8
    assert any(row.late for row in rows)
    assert sum(row.status == MajorDecision.Status.RETURNED for row in rows) == 1
    assert sum(bool(services.missing_parts(row)) for row in rows) == 1
    assert sum(row.made_public for row in rows) > len(rows) // 2
    assert seed_decisions(district=cast.township_a.district, staff=cast.users["staff"], secretaries=secretaries) == 0
