"""The person who must act next gets an in-app notice of each transition (rounds, star applications,
findings), with who and why, opening the object's page; the header counts the unread ones; the inbox
lists the user's own notices, newest first, and marks them read. Each page keeps who, when and why."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Notice
from accounts.roles import Role
from accounts.services import notices_mark_read, notices_send
from inspections import services as inspection_services
from scoring.services import round_approve, round_return, round_submit
from stars import services as star_services

from ..conftest import sign_in
from ..factories import UserFactory
from ..inspection_helpers import closed, finding, pdf
from ..scoring_helpers import fill_scores, make_round
from ..star_helpers import decided, draft, filed

# Longer than simple_history's default 100-character change reason: kept whole (PostgreSQL would refuse it).
RETURN_REASON = "请核对金清镇数据：" + "、".join(f"第{n}村村务公开栏照片与台账日期不一致" for n in range(1, 8))


def inbox(user) -> list[tuple[str, str]]:
    return list(Notice.objects.filter(user=user).values_list("text", "link"))


@pytest.fixture
def full_round(cast):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "92.5")
    fill_scores(round_, cast.village_b, "78")
    return round_


@pytest.fixture
def second(cast):
    """A second user of some roles, and a leader who has left (inactive): who else must (not) act."""
    return {
        "leader": UserFactory(username="leader_2", full_name="副书记", role=Role.COMMISSION_LEADER),
        "staff": UserFactory(username="staff_2", full_name="案管干部", role=Role.COMMISSION_STAFF),
        "secretary_a": UserFactory(
            username="secretary_a2", full_name="副书记甲", role=Role.TOWNSHIP_SECRETARY, township=cast.township_a
        ),
        "former_leader": UserFactory(
            username="leader_old", full_name="老书记", role=Role.COMMISSION_LEADER, is_active=False
        ),
    }


def assert_opens(client, link: str) -> None:
    assert client.get(link).status_code == 200


# --- Rounds ---------------------------------------------------------------------------------------------


def test_a_submitted_round_tells_every_active_leader_once(
    full_round, cast, second, client_for, django_capture_on_commit_callbacks
):
    staff = cast.users["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        round_submit(round_=full_round, acting_user=staff)
    link = reverse("scoring:round", args=[full_round.pk])
    expected = [(f"{staff}已报送2025评分轮次（第1版），请审批。", link)]
    assert inbox(cast.users["leader"]) == expected
    assert inbox(second["leader"]) == expected
    assert inbox(second["former_leader"]) == [] and inbox(staff) == [] and inbox(second["staff"]) == []
    assert_opens(client_for("leader"), link)


def test_a_refused_submission_notifies_nobody(cast, django_capture_on_commit_callbacks):
    round_ = make_round()
    fill_scores(round_, cast.village_a, "95", skip=1)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        round_submit(round_=round_, acting_user=cast.users["staff"])
    assert refused.value.code == "lacking_scores"
    assert Notice.objects.count() == 0


def test_a_returned_round_tells_the_staff_member_who_submitted_it_why_and_its_page_shows_it(
    full_round, cast, second, client_for, django_capture_on_commit_callbacks
):
    round_submit(round_=full_round, acting_user=cast.users["staff"])
    leader = cast.users["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        round_return(round_=full_round, acting_user=leader, reason=RETURN_REASON)
    link = reverse("scoring:round", args=[full_round.pk])
    assert inbox(cast.users["staff"]) == [(f"{leader}退回了2025评分轮次（第1版），理由：{RETURN_REASON}", link)]
    assert inbox(second["staff"]) == [] and inbox(second["leader"]) == []
    page = client_for("staff").get(link).content.decode()
    banner = page.split('id="returned">', 1)[1].split("</p>", 1)[0]
    assert banner.startswith(f"{leader} 于 ") and banner.endswith(f"退回，理由： {RETURN_REASON}")


def test_an_approved_round_tells_the_other_leaders_to_publish_it(
    full_round, cast, second, django_capture_on_commit_callbacks
):
    round_submit(round_=full_round, acting_user=cast.users["staff"])
    leader = cast.users["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        round_approve(round_=full_round, acting_user=leader)
    link = reverse("scoring:round", args=[full_round.pk])
    assert inbox(second["leader"]) == [(f"{leader}已审批通过2025评分轮次（第1版），可以发布。", link)]
    assert inbox(leader) == []  # who approved knows
    assert inbox(cast.users["staff"]) == []


def test_a_notice_is_written_in_chinese_whatever_the_language_of_the_actors_screen(
    full_round, cast, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        round_submit(round_=full_round, acting_user=cast.users["staff"])
    [(text, _link)] = inbox(cast.users["leader"])
    assert text == f"{cast.users['staff']}已报送2025评分轮次（第1版），请审批。"


# --- Star applications ----------------------------------------------------------------------------------


def forwarded(cast):
    """A four-star application the township forwarded to the district commission."""
    return star_services.application_forward(
        application=filed(cast, 4),
        acting_user=cast.users["secretary_a"],
        opinion="同意上报",
        points=Decimal("97"),
        level=4,
    )


def star_link(application) -> str:
    return reverse("stars:application", args=[application.pk])


def test_a_filed_application_reaches_the_secretaries_of_its_township(
    cast, second, client_for, django_capture_on_commit_callbacks
):
    application = draft(cast, 3, "97")
    secretary = cast.users["secretary_a"]
    with django_capture_on_commit_callbacks(execute=True):
        star_services.application_submit(application=application, acting_user=secretary)
    expected = [(f"{secretary}报送了石曲村的评星申报（3星），请审核。", star_link(application))]
    assert inbox(second["secretary_a"]) == expected
    assert inbox(secretary) == []  # who filed it knows
    assert inbox(cast.users["secretary_b"]) == [] and inbox(cast.users["leader"]) == []
    assert_opens(sign_in(client_for("anonymous"), second["secretary_a"]), star_link(application))


def test_a_forwarded_application_reaches_every_leader_with_the_townships_opinion(
    cast, second, client_for, django_capture_on_commit_callbacks
):
    application = filed(cast, 4)
    secretary = cast.users["secretary_a"]
    with django_capture_on_commit_callbacks(execute=True):
        star_services.application_forward(
            application=application, acting_user=secretary, opinion="同意上报", points=Decimal("97"), level=4
        )
    expected = [(f"{secretary}已将石曲村的评星申报（4星）报区纪委审定，乡镇意见：同意上报", star_link(application))]
    assert inbox(cast.users["leader"]) == expected and inbox(second["leader"]) == expected
    assert inbox(second["former_leader"]) == []
    assert_opens(client_for("leader"), star_link(application))


def test_a_returned_application_tells_the_secretary_who_filed_it_why_and_shows_it_on_top(
    cast, second, client_for, django_capture_on_commit_callbacks
):
    application = forwarded(cast)
    leader = cast.users["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        star_services.application_return(application=application, acting_user=leader, opinion="缺少村务公开照片")
    expected = [(f"{leader}退回了石曲村的评星申报，请补充材料：缺少村务公开照片", star_link(application))]
    assert inbox(cast.users["secretary_a"]) == expected
    assert inbox(second["secretary_a"]) == [] and inbox(second["leader"]) == []
    page = client_for("secretary_a").get(star_link(application)).content.decode()
    banner = page.split('id="returned">', 1)[1].split("</p>", 1)[0]
    assert banner.startswith(f"{leader} 于 ") and banner.endswith("退回，理由： 缺少村务公开照片")
    assert page.index('id="returned"') < page.index("评审记录")  # on top, above the steps


def test_a_decided_application_tells_the_secretary_who_filed_it(cast, second, django_capture_on_commit_callbacks):
    application = forwarded(cast)
    leader = cast.users["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        star_services.application_decide(
            application=application,
            acting_user=leader,
            opinion="同意四星",
            points=Decimal("97"),
            level=4,
            today=date(2025, 12, 1),
        )
    expected = [(f"{leader}审定石曲村为4星，公示至2025-12-06。意见：同意四星", star_link(application))]
    assert inbox(cast.users["secretary_a"]) == expected
    assert inbox(second["secretary_a"]) == [] and inbox(second["leader"]) == []


def test_the_application_page_shows_every_review_step_with_its_opinion(cast, client_for):
    application = forwarded(cast)
    star_services.application_return(application=application, acting_user=cast.users["leader"], opinion="缺照片")
    page = client_for("staff").get(star_link(application)).content.decode()
    table = page.split("评审记录", 1)[1].split("</tbody>", 1)[0]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("<tr>")[2:]]
    secretary, leader = cast.users["secretary_a"].full_name, cast.users["leader"].full_name
    assert [(step, by, opinion) for step, by, _at, opinion, *_rest in rows] == [
        ("提交申报", secretary, "自评情况"),
        ("乡镇提出意见并报区纪委", secretary, "同意上报"),
        ("退回补充材料", leader, "缺照片"),
    ]


# --- Findings -------------------------------------------------------------------------------------------


def finding_link(finding_) -> str:
    return reverse("inspections:finding", args=[finding_.pk])


def test_a_finding_submitted_for_closure_tells_staff_other_than_its_follower(
    cast, second, client_for, django_capture_on_commit_callbacks
):
    followed = finding(cast, owner="staff")
    secretary = cast.users["secretary_a"]
    inspection_services.progress_record(finding=followed, acting_user=secretary, note="已整改", uploads=[pdf()])
    with django_capture_on_commit_callbacks(execute=True):
        inspection_services.closure_submit(finding=followed, acting_user=secretary)
    expected = [
        (
            f"{secretary}申请石曲村问题（集体资金坐收坐支）销号，请核验佐证材料后销号。",
            finding_link(followed),
        )
    ]
    assert inbox(second["staff"]) == expected
    assert inbox(cast.users["staff"]) == []  # the follower does not approve the own closure
    assert inbox(secretary) == [] and inbox(cast.users["leader"]) == []
    assert_opens(sign_in(client_for("anonymous"), second["staff"]), finding_link(followed))


def test_a_reopened_finding_tells_its_follower_why_and_its_page_shows_every_step(
    cast, second, client_for, django_capture_on_commit_callbacks
):
    followed = closed(cast, finding(cast), on=date(2025, 4, 1))  # followed by secretary A, closed by staff
    reopener = second["staff"]
    with django_capture_on_commit_callbacks(execute=True):
        inspection_services.finding_reopen(
            finding=followed, acting_user=reopener, reason="回访发现仍在坐支", due_on=date(2025, 6, 30)
        )
    expected = [
        (
            f"{reopener}将石曲村问题（集体资金坐收坐支）退回重新整改，整改期限2025-06-30，理由：回访发现仍在坐支",
            finding_link(followed),
        )
    ]
    assert inbox(cast.users["secretary_a"]) == expected
    assert inbox(cast.users["staff"]) == []
    page = client_for("secretary_a").get(finding_link(followed)).content.decode()
    steps = page.split('id="finding-steps">', 1)[1].split("</ol>", 1)[0]
    lines = [" ".join(item.split("</li>")[0].split()) for item in steps.split("<li>")[1:]]
    secretary, staff = cast.users["secretary_a"], cast.users["staff"]
    assert [line.split(" · ")[0] for line in lines] == [
        f'<span class="status status-open">待整改</span> {staff}',
        f'<span class="status status-rectifying">整改中</span> {secretary}',
        f'<span class="status status-submitted">待销号审核</span> {secretary}',
        f'<span class="status status-closed">已销号</span> {staff}',
        f'<span class="status status-reopened">重新整改</span> {reopener}',
    ]
    assert lines[3].endswith(" · 核查属实") and lines[4].endswith(" · 回访发现仍在坐支")


# --- The inbox and the header ---------------------------------------------------------------------------


def test_sending_the_same_occasion_again_sends_nothing(cast):
    users = [cast.users["staff"], cast.users["leader"]]
    assert notices_send(users=users, text="一", link="/a/", key="job-2025-12-01") == 2
    assert notices_send(users=users, text="一", link="/a/", key="job-2025-12-01") == 0
    assert Notice.objects.filter(key="job-2025-12-01").count() == 2


def test_the_header_counts_the_unread_notices_and_the_inbox_marks_them_read(cast, client_for):
    secretary = cast.users["secretary_a"]
    notices_send(users=[secretary], text="第一条", link="/inspections/", key="one")
    notices_send(users=[secretary], text="第二条", link="/star-rating/", key="two")
    client = client_for("secretary_a")
    page = client.get(reverse("workspace")).content.decode()
    assert '<span class="badge" id="unread-notices" title="未读">2</span>' in page

    inbox_page = client.get(reverse("accounts:notices")).content.decode()
    items = inbox_page.split('id="notices">', 1)[1].split("</ul>", 1)[0]
    assert items.index("第二条") < items.index("第一条")  # newest first
    assert items.count('class="unread"') == 2 and '<a href="/star-rating/">第二条</a>' in items
    assert Notice.objects.filter(user=secretary, read_at__isnull=True).count() == 0
    assert 'id="unread-notices"' not in inbox_page  # the header counts after the marking

    again = client.get(reverse("accounts:notices")).content.decode()
    assert 'class="unread"' not in again and 'id="unread-notices"' not in again
    assert 'id="unread-notices"' not in client.get(reverse("workspace")).content.decode()


def test_a_user_never_sees_nor_reads_anothers_notices(cast, client_for):
    notices_send(users=[cast.users["secretary_b"]], text="CANARY-路南街道的提醒", link="/", key="canary")
    page = client_for("secretary_a").get(reverse("accounts:notices")).content.decode()
    assert "CANARY" not in page and "没有提醒。" in page
    canary = Notice.objects.get(key="canary")
    assert notices_mark_read(user=cast.users["secretary_a"], ids=[canary.pk]) == 0
    canary.refresh_from_db()
    assert canary.read_at is None


def test_marking_read_by_ids_leaves_the_others_unread(cast):
    staff = cast.users["staff"]
    for key in ["a", "b", "c"]:
        notices_send(users=[staff], text=key, link="/", key=key)
    a, b = Notice.objects.filter(key__in=["a", "b"]).order_by("key")
    assert notices_mark_read(user=staff, ids=[a.pk, b.pk]) == 2
    assert list(Notice.objects.filter(read_at__isnull=True).values_list("key", flat=True)) == ["c"]
    assert notices_mark_read(user=staff) == 1


def test_the_unread_count_is_read_with_the_signed_in_user_and_a_signed_out_page_reads_none(cast, client_for):
    notices_send(users=[cast.users["staff"]], text="一", link="/", key="one")
    client = client_for("staff")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("workspace"))
    assert page.status_code == 200 and page.context["unread_notices"] == 1
    [counted] = [query["sql"] for query in queries if "accounts_notice" in query["sql"]]
    assert 'FROM "accounts_user"' in counted  # no query of its own: the user's query counts them
    with CaptureQueriesContext(connection) as queries:
        assert client_for("anonymous").get(reverse("accounts:login")).status_code == 200
    assert [query for query in queries if "accounts_notice" in query["sql"]] == []


def test_an_upheld_objection_sends_the_application_back_to_its_reviewers(
    cast, second, django_capture_on_commit_callbacks
):
    application = decided(cast, 2, total="75")  # decided by the township, in publicity
    objection = star_services.objection_record(
        application=application,
        acting_user=cast.users["staff"],
        received_on=date(2025, 12, 2),
        channel="phone",
        content="群众反映公示材料不实",
    )
    with django_capture_on_commit_callbacks(execute=True):
        star_services.objection_answer(
            objection=objection, acting_user=cast.users["staff"], answer="经核实部分属实", upheld=True
        )
    expected = [("石曲村的评星异议成立（经核实部分属实），请重新审核申报。", star_link(application))]
    assert inbox(cast.users["secretary_a"]) == expected and inbox(second["secretary_a"]) == expected
    assert inbox(cast.users["leader"]) == []
