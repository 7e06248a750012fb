"""主动下访: the county's petition office, staff and leaders record visits to its villages with the issues
raised there; the petition office registers an issue as a petition (channel 下访), linked to it. Another
county's people get 404, a secretary and the city's roles read the aggregate figures only. The audit log
never holds an issue's summary; the figures count a registered issue once."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from petitions import visits
from petitions.demo import seed_visits
from petitions.models import Petition, Visit, VisitIssue
from petitions.selectors import figures
from petitions.visit_selectors import visit_figures

from ..factories import VillageFactory

CANARY_SUMMARY = "甄下访摘要QX93"
DAY = date(2025, 6, 10)


def record(cast, *, by="staff", village=None, visited_on=DAY, issues=None) -> Visit:
    return visits.visit_record(
        acting_user=cast.users[by],
        village=village or cast.village_a,
        visited_on=visited_on,
        officials="区纪委 陈某、路桥街道纪工委 林某",
        issues=[visits.IssueReceived(*issue) for issue in issues]
        if issues is not None
        else [
            visits.IssueReceived("sanzi", CANARY_SUMMARY, False),
            visits.IssueReceived("openness", "村务公开栏未更新", True),
        ],
    )


def register_issue(cast, issue: VisitIssue, by="petition") -> Petition:
    return visits.visit_issue_register(
        issue=issue,
        acting_user=cast.users[by],
        identity="郑某某",
        contact="13900000000",
        named=True,
        subject_name="郑某",
        subject_post="村报账员",
        subject_is_township_official=False,
        rural=True,
        category="sanzi",
        summary=CANARY_SUMMARY,
    )


def visit_post(cast, **overrides) -> dict:
    data = {
        "visited_on": "2025-06-10",
        "village": cast.village_a.pk,
        "officials": "区纪委 陈某",
        "issue-TOTAL_FORMS": "3",
        "issue-INITIAL_FORMS": "0",
        "issue-0-category": "sanzi",
        "issue-0-summary": CANARY_SUMMARY,
        "issue-1-category": "conduct",
        "issue-1-summary": "反映村干部办事拖拉",
        "issue-1-settled_on_spot": "on",
        "issue-2-category": "",
        "issue-2-summary": "",
    }
    return data | overrides


def test_staff_record_a_visit_on_the_form_and_a_blank_issue_line_is_no_issue(cast, client_for):
    response = client_for("staff").post(reverse("petitions:visit_new"), visit_post(cast))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("petitions:visit", args=[visit.pk])
    assert (visit.township, visit.village, visit.visited_on) == (cast.township_a, cast.village_a, DAY)
    assert list(visit.issues.values_list("position", "category", "settled_on_spot")) == [
        (1, "sanzi", False),
        (2, "conduct", True),
    ]
    page = client_for("staff").get(response["Location"]).content.decode()
    assert CANARY_SUMMARY in page and '<dd id="issue-count">2</dd>' in page


def test_a_refused_visit_form_keeps_what_was_typed(cast, client_for):
    response = client_for("leader").post(reverse("petitions:visit_new"), visit_post(cast, officials=""))
    assert response.status_code == 400
    assert Visit.objects.count() == 0
    assert CANARY_SUMMARY in response.content.decode()
    assert "这个字段是必填项。" in response.content.decode()


def test_more_issue_lines_keep_what_was_typed_and_save_nothing(cast, client_for):
    data = visit_post(cast) | {"more_lines": "3"}
    response = client_for("staff").post(reverse("petitions:visit_new"), data)
    assert response.status_code == 200
    assert Visit.objects.count() == 0
    page = response.content.decode()
    assert CANARY_SUMMARY in page and data["officials"] in page
    assert len(response.context["formset"].forms) == int(data["issue-TOTAL_FORMS"]) + 3
    assert "这个字段是必填项。" not in page  # not validated: the lines are still being filled in


def test_a_visit_cannot_be_recorded_before_it_took_place(cast):
    with pytest.raises(ValidationError) as error:
        record(cast, visited_on=date(2999, 1, 1))
    assert error.value.message_dict == {"visited_on": [str(visits.VISIT_IN_THE_FUTURE)]}


def test_the_audit_log_never_holds_an_issue_summary(cast, client_for):
    client_for("staff").post(reverse("petitions:visit_new"), visit_post(cast))
    issue = VisitIssue.objects.get(position=1)
    register_issue(cast, issue)
    rows = AuditEvent.objects.filter(target_type="petitions.VisitIssue").order_by("seq")
    assert [row.event_type for row in rows] == ["created", "created", "updated"]  # the last: linked to its case
    assert [row.data["after"]["summary"] for row in rows[:2]] == ["〔保密〕", "〔保密〕"]
    assert list(rows[2].data["changes"]) == ["petition"]
    everything = " ".join(f"{row.target_repr} {row.data}" for row in AuditEvent.objects.all())
    assert CANARY_SUMMARY not in everything


def test_the_petition_office_registers_an_issue_as_a_petition_of_the_visit(cast, client_for):
    visit = record(cast)
    issue = visit.issues.get(position=1)
    data = {"subject_name": "郑某", "subject_post": "村报账员", "rural": "on", "category": "sanzi"}
    data |= {"summary": CANARY_SUMMARY, "named": "on", "identity": "郑某某", "contact": "13900000000"}
    response = client_for("petition").post(reverse("petitions:visit_issue_register", args=[issue.pk]), data)
    issue.refresh_from_db()
    petition = issue.petition
    assert response.status_code == 302 and response["Location"] == reverse("petitions:petition", args=[petition.pk])
    assert (petition.received_on, petition.channel, petition.township, petition.village) == (
        DAY,
        Petition.Channel.OUTREACH,
        cast.township_a,
        cast.village_a,
    )
    assert petition.get_channel_display() == "下访"
    case_page = client_for("petition").get(response["Location"]).content.decode()
    assert reverse("petitions:visit", args=[visit.pk]) in case_page
    page = client_for("staff").get(reverse("petitions:visit", args=[visit.pk])).content.decode()
    assert reverse("petitions:petition", args=[petition.pk]) in page
    with pytest.raises(ValidationError) as error:
        register_issue(cast, issue)
    assert error.value.messages == [str(visits.ALREADY_REGISTERED)]


def test_only_the_petition_office_registers_an_issue(cast, client_for):
    issue = record(cast).issues.get(position=1)
    url = reverse("petitions:visit_issue_register", args=[issue.pk])
    assert client_for("staff").get(url).status_code == 403
    assert client_for("leader").post(url, {"subject_name": "郑某"}).status_code == 403
    with pytest.raises(PermissionDenied):
        register_issue(cast, issue, by="staff")
    assert Petition.objects.count() == 0


def test_another_countys_people_get_404_on_a_visit_and_its_issues(second_county, client_for):
    cast = second_county
    visit = record(cast)
    issue = visit.issues.get(position=1)
    for role in ("staff_b", "leader_b", "petition_b"):
        client = client_for(role)
        assert client.get(reverse("petitions:visit", args=[visit.pk])).status_code == 404
        assert client.get(reverse("petitions:visit_issue_register", args=[issue.pk])).status_code == 404
        assert CANARY_SUMMARY not in client.get(reverse("petitions:visits"), {"year": "2025"}).content.decode()
    # A village of the first county posted by the second county's staff is not theirs to name.
    response = client_for("staff_b").post(reverse("petitions:visit_new"), visit_post(cast))
    assert response.status_code == 404
    assert Visit.objects.count() == 1


def test_a_secretary_is_refused_the_visits_and_reads_the_own_townships_figures(cast, client_for):
    record(cast)  # township A
    record(cast, village=cast.village_b, issues=[("conduct", "反映村干部办事拖拉", True)])  # township B
    client = client_for("secretary_a")
    assert client.get(reverse("petitions:visits")).status_code == 403
    assert client.get(reverse("petitions:visit", args=[Visit.objects.first().pk])).status_code == 403
    page = client.get(reverse("petitions:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    assert page.context["visits"].visits.value == 1
    assert page.context["visits"].issues.value == 2
    assert CANARY_SUMMARY not in page.content.decode()


def test_the_figures_count_a_registered_issue_once(cast, client_for):
    visit = record(cast)
    record(cast, visited_on=date(2024, 6, 10), issues=[("project", "询问工程招标", True)])
    register_issue(cast, visit.issues.get(position=1))
    result = visit_figures(date(2025, 1, 1), date(2025, 12, 31))
    assert [(line.value, line.previous) for line in (result.visits, result.issues, result.settled)] == [
        (1, 1),
        (2, 1),
        (1, 1),
    ]
    assert (result.registered.value, result.registered.previous) == (1, 0)
    petitions = figures(date(2025, 1, 1), date(2025, 12, 31)).total
    assert petitions.value == 1  # the registered issue, as a petition
    assert (result.matters(petitions).value, result.matters(petitions).previous) == (2, 1)
    page = client_for("staff").get(reverse("petitions:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    lines = [(str(line.label), line.value) for line in page.context["visit_lines"]]
    assert lines == [
        ("主动下访次数", 1),
        ("下访收集问题", 2),
        ("当场化解", 1),
        ("登记为信访件", 1),
        ("信访件与下访问题合计", 2),
    ]


def test_the_list_of_visits_takes_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    client = client_for("staff")
    record(cast)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("petitions:visits"), {"year": "2025"})
    for index in range(6):
        record(cast, village=VillageFactory(township=cast.township_a, name=f"下访村{index}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("petitions:visits"), {"year": "2025"})
    assert len(response.context["visits"]) == 7
    assert response.context["visits"][0].issues_received == 2
    assert len(one.captured_queries) <= 12


def test_the_list_of_visits_links_the_other_years_and_marks_the_shown_one(cast, client_for):
    record(cast)
    record(cast, visited_on=date(2024, 5, 1))
    page = client_for("staff").get(reverse("petitions:visits"), {"year": "2025"}).content.decode()
    assert '<strong aria-current="page">2025</strong>' in page
    assert f'<a href="{reverse("petitions:visits")}?year=2024">2024</a>' in page


def test_the_years_visits_export_as_a_sheet_without_summaries(cast, client_for):
    visit = record(cast)
    register_issue(cast, visit.issues.get(position=1))
    record(cast, visited_on=date(2024, 5, 1))
    response = client_for("leader").get(reverse("petitions:visits_export", args=[2025]))
    assert response["Content-Disposition"] == 'attachment; filename="visits-2025.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("下访日期", "镇街", "村居", "下访人员（姓名、单位）", "收集问题", "当场化解", "登记为信访件")
    assert rows[1][1:] == ("路桥街道", "石曲村", "区纪委 陈某、路桥街道纪工委 林某", 2, 1, 1)
    assert len(rows) == 2
    assert CANARY_SUMMARY not in str(rows)


def test_the_demo_has_a_few_visits_and_one_issue_registered_as_a_petition(cast):
    VillageFactory(township=cast.township_b, name="示范村")
    made = seed_visits(
        district=cast.township_a.district, officer=cast.users["petition"], staff=cast.users["staff"], today=DAY
    )
    assert made == 4
    assert VisitIssue.objects.filter(petition__isnull=False).count() == 1
    assert Petition.objects.get().channel == Petition.Channel.OUTREACH
    assert seed_visits(district=cast.township_a.district, officer=cast.users["petition"], staff=None, today=DAY) == 0


def test_the_township_report_tells_the_visits_beside_the_petitions(cast):
    from reports.content import _petitions

    visit = record(cast)
    register_issue(cast, visit.issues.get(position=1))
    content = _petitions(2025, cast.township_a, cast.township_a.district)
    assert content["total"].value == 1
    assert (content["visits"].visits.value, content["visits"].issues.value, content["visits"].registered.value) == (
        1,
        2,
        1,
    )


def edit_post(visit: Visit, **overrides) -> dict:
    first = visit.issues.get(position=1)
    data = {
        "visited_on": "2025-06-11",
        "village": visit.village_id,
        "officials": "区纪委 陈某",
        "version": visit.version,
        "issue-TOTAL_FORMS": "3",
        "issue-INITIAL_FORMS": "2",
        "issue-0-issue": first.pk,
        "issue-0-category": "sanzi",
        "issue-0-summary": CANARY_SUMMARY,
        "issue-0-settled_on_spot": "on",
        "issue-1-issue": visit.issues.get(position=2).pk,
        "issue-1-category": "openness",
        "issue-1-summary": "村务公开栏未更新",
        "issue-1-settled_on_spot": "on",
        "issue-2-category": "election",
        "issue-2-summary": "反映换届拉票",
    }
    return data | overrides


def test_a_visit_is_corrected_and_an_issue_added_after_the_last(cast, client_for):
    visit = record(cast)
    response = client_for("leader").post(reverse("petitions:visit_edit", args=[visit.pk]), edit_post(visit))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.visited_on, visit.officials, visit.version) == (date(2025, 6, 11), "区纪委 陈某", 2)
    assert list(visit.issues.values_list("position", "category", "settled_on_spot")) == [
        (1, "sanzi", True),
        (2, "openness", True),
        (3, "election", False),
    ]


def test_a_correction_filled_in_against_an_older_version_is_refused_and_kept(cast, client_for):
    visit = record(cast)
    stale = edit_post(visit, officials="区纪委 甄某改")
    client_for("staff").post(reverse("petitions:visit_edit", args=[visit.pk]), edit_post(visit))
    response = client_for("leader").post(reverse("petitions:visit_edit", args=[visit.pk]), stale)
    assert response.status_code == 409
    assert "甄某改" in response.content.decode()
    visit.refresh_from_db()
    assert (visit.officials, visit.version) == ("区纪委 陈某", 2)


def test_a_visit_with_a_registered_issue_keeps_its_day_and_village(cast):
    visit = record(cast)
    register_issue(cast, visit.issues.get(position=1))
    with pytest.raises(ValidationError) as error:
        visits.visit_update(
            visit=visit,
            version=visit.version,
            acting_user=cast.users["staff"],
            village=cast.village_a,
            visited_on=date(2025, 6, 11),
            officials="区纪委 陈某",
            changed_issues={},
            new_issues=[],
        )
    assert error.value.messages == [str(visits.VISIT_OF_A_REGISTERED_ISSUE)]
    with pytest.raises(ValidationError) as error:
        visits.visit_update(
            visit=visit,
            version=visit.version,
            acting_user=cast.users["staff"],
            village=cast.village_a,
            visited_on=DAY,
            officials="区纪委 陈某",
            changed_issues={visit.issues.get(position=1).pk: visits.IssueReceived("conduct", "改写", True)},
            new_issues=[],
        )
    assert error.value.messages == ["问题 1 已登记为信访件，此处不能再改。"]
