"""The leader's decisions on a round. Publishing is confirmed on a summary of what the public will see
(A/B/C counts, the C and the vetoed villages named with their township, the biggest rises and falls
since the last published period, and that it cannot be undone); a publish posted without that
confirmation publishes nothing. Returning a round needs its reason, in a labelled field; staff read it
in their notice and on the round's page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Notice
from accounts.roles import Role
from scoring.models import Round, Score, VetoEvent, VillageResult
from scoring.selectors import publication_summary
from scoring.services import round_approve, round_compute_results, round_correct, round_publish, round_submit

from ..factories import UserFactory, VillageFactory
from ..scoring_helpers import confirmed, fill_scores, make_round

WARNING = "发布后不可撤回；更正将作为新的修订版发布"
REASON = "峰江街道三个村的村务公开扣分缺少依据，请补充后再报"

# name, township ("a" or "b"), total in 2024 (None: not scored then), total in 2025
VILLAGES = [
    ("石曲村", "a", "80", "95"),  # +15
    ("上升二村", "a", "70", "82"),  # +12
    ("上升三村", "a", "85", "95"),  # +10
    ("上升四村", "a", "90", "98"),  # +8
    ("上升五村", "a", "88", "94"),  # +6
    ("上升六村", "a", "90", "93"),  # +3: the sixth rise, not among the five
    ("持平村", "a", "85", "85"),
    ("CANARY-金丝雀村", "b", "95", "75"),  # −20
    ("下降二村", "b", "92", "78"),  # −14
    ("下降三村", "b", "90", "89"),  # −1
    ("新设村", "b", None, "60"),  # no 2024 total: no change
    ("否决村", "b", "90", "91"),  # +1, but vetoed: C
]


def approved_with_a_published_year_before(cast) -> Round:
    """2024 published; 2025 submitted by staff and approved by the leader, with one veto (VILLAGES)."""
    villages = {"石曲村": cast.village_a, "CANARY-金丝雀村": cast.village_b}

    def add(name, township):
        villages[name] = VillageFactory(township=cast.township_a if township == "a" else cast.township_b, name=name)

    for name, township, before, _now in VILLAGES:
        if name not in villages and before is not None:
            add(name, township)
    last_year = make_round("2024", status=Round.Status.PUBLISHED)
    for name, _township, before, _now in VILLAGES:
        if before is not None:
            fill_scores(last_year, villages[name], before)
    round_compute_results(last_year)
    for name, township, before, _now in VILLAGES:
        if before is None:
            add(name, township)  # set up after 2024
    round_ = make_round("2025")
    for name, _township, _before, now in VILLAGES:
        fill_scores(round_, villages[name], now)
    scheme = round_.period.scheme
    item = scheme.veto_items.filter(from_sanctions=False).first()
    VetoEvent.objects.create(round=round_, village=villages["否决村"], item=item, reason="村干部违规发包工程")
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    round_.veto_item = item
    return round_


@pytest.fixture
def awaiting_publication(cast):
    return approved_with_a_published_year_before(cast)


def names(results) -> list[str]:
    return [f"{result.village.township.name} · {result.village.name}" for result in results]


def moves(changes) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    return [(line.result.village.name, line.previous, line.result.total, line.change) for line in changes]


def test_the_summary_counts_the_grades_and_names_the_c_and_vetoed_villages_with_their_township(
    awaiting_publication, django_assert_num_queries
):
    with django_assert_num_queries(3):
        summary = publication_summary(awaiting_publication)
    assert summary.villages == 12
    assert summary.counts == {"A": 5, "B": 3, "C": 4}
    assert names(summary.c_villages) == [
        "路南街道 · 新设村",
        "路南街道 · CANARY-金丝雀村",
        "路南街道 · 下降二村",
        "路南街道 · 否决村",
    ]
    assert names(summary.vetoed) == ["路南街道 · 否决村"]
    assert summary.vetoed[0].veto_reason == f"{awaiting_publication.veto_item.name}：村干部违规发包工程"


def test_the_biggest_changes_are_the_five_largest_rises_and_falls_since_the_last_published_period(
    awaiting_publication,
):
    summary = publication_summary(awaiting_publication)
    assert summary.previous_round.period.code == "2024"
    d = Decimal
    assert moves(summary.risen) == [
        ("石曲村", d("80"), d("95"), d("15")),
        ("上升二村", d("70"), d("82"), d("12")),
        ("上升三村", d("85"), d("95"), d("10")),
        ("上升四村", d("90"), d("98"), d("8")),
        ("上升五村", d("88"), d("94"), d("6")),
    ]
    assert moves(summary.fallen) == [
        ("CANARY-金丝雀村", d("95"), d("75"), d("-20")),
        ("下降二村", d("92"), d("78"), d("-14")),
        ("下降三村", d("90"), d("89"), d("-1")),
    ]


def test_a_first_period_has_nothing_to_compare_with(cast, client_for):
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "92")
    fill_scores(round_, cast.village_b, "70")
    round_submit(round_=round_, acting_user=cast.users["staff"])
    round_approve(round_=round_, acting_user=cast.users["leader"])
    summary = publication_summary(round_)
    assert (summary.previous_round, summary.risen, summary.fallen) == (None, [], [])
    page = client_for("leader").get(reverse("scoring:round", args=[round_.pk])).content.decode()
    assert "此前没有已发布的考评期，无可比较。" in page


def test_the_leader_reads_the_summary_on_the_round_page_before_the_publish_button(awaiting_publication, client_for):
    page = client_for("leader").get(reverse("scoring:round", args=[awaiting_publication.pk])).content.decode()
    panel = page.split('id="publish-summary"', 1)[1].split("</section>", 1)[0]
    counts = re.findall(r'<span class="grade grade-(\w)"[^>]*>\w</span>\s+(\d+)</li>', panel)
    assert counts == [("A", "5"), ("B", "3"), ("C", "4")]
    assert "本轮共 12 个村居。" in panel
    assert "C档村居（4）" in panel and "一票否决村居（1）" in panel
    assert '路南街道 · 否决村 <span class="veto">一票否决</span></span> <span class="num">91.00</span>' in panel
    assert '路南街道 · 否决村</span> <span class="veto reason">' in panel and "村干部违规发包工程" in panel
    assert "与2024相比变化最大的村居" in panel
    assert '<span class="num">80.00 → 95.00 <span class="up">↑15.00</span></span>' in panel
    assert '<span class="num">95.00 → 75.00 <span class="down">↓20.00</span></span>' in panel
    assert "上升六村" not in panel
    assert panel.index(WARNING) < panel.index("确认发布")
    assert f'name="confirm" value="{publication_summary(awaiting_publication).fingerprint}"' in panel
    # The only publish button of the page is the summary's.
    assert page.count(reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])) == 1


def test_staff_see_no_publish_summary(awaiting_publication, client_for):
    page = client_for("staff").get(reverse("scoring:round", args=[awaiting_publication.pk])).content.decode()
    assert 'id="publish-summary"' not in page and WARNING not in page


def test_the_round_page_reads_the_summary_in_a_fixed_number_of_queries(
    awaiting_publication, client_for, django_assert_max_num_queries
):
    leader = client_for("leader")
    url = reverse("scoring:round", args=[awaiting_publication.pk])
    leader.get(url)  # the session's first read
    with django_assert_max_num_queries(13):
        assert leader.get(url).status_code == 200


def test_a_publish_without_the_confirmation_publishes_nothing(awaiting_publication, client_for):
    leader = client_for("leader")
    url = reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])
    response = leader.post(url)
    assert response["Location"] == reverse("scoring:round", args=[awaiting_publication.pk]) + "#publish-summary"
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.APPROVED
    page = leader.get(response["Location"]).content.decode()
    assert "尚未发布：请核对下方发布摘要，再确认发布。" in page and 'id="publish-summary"' in page
    assert leader.post(url, {"confirm": "yes"}).status_code == 302
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.APPROVED


def test_staff_posting_a_publish_are_refused_with_or_without_the_confirmation(awaiting_publication, client_for):
    staff = client_for("staff")
    url = reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])
    assert staff.post(url).status_code == 403
    assert staff.post(url, confirmed(awaiting_publication)).status_code == 403
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.APPROVED


def test_the_confirmed_publish_publishes_and_tells_staff(
    awaiting_publication, cast, client_for, django_capture_on_commit_callbacks
):
    url = reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("leader").post(url, confirmed(awaiting_publication), follow=True)
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.PUBLISHED
    page = response.content.decode()
    assert "本轮评分已发布。" in page and 'id="publish-summary"' not in page
    leader = cast.users["leader"]
    assert list(Notice.objects.filter(user=cast.users["staff"]).values_list("text", flat=True)) == [
        f"{leader}已发布2025评分轮次（第1版），可以开始跟进工作。"
    ]
    assert not Notice.objects.filter(user=leader).exists()


def test_publishing_tells_each_townships_secretary_to_start_the_follow_up_on_their_own_page(
    awaiting_publication, cast, client_for, django_capture_on_commit_callbacks
):
    url = reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("leader").post(url, confirmed(awaiting_publication))
    for secretary, township in (("secretary_a", cast.township_a), ("secretary_b", cast.township_b)):
        notice = Notice.objects.get(user=cast.users[secretary])
        assert notice.text == "2025清廉指数已发布：请为本镇街排名末三位的村居问诊，为C类村居制定整改目标。"
        assert notice.link == f"/scoring/follow-up/{township.code}/?period=2025"
        # The link opens: it is the secretary's own township.
        assert client_for(secretary).get(notice.link).status_code == 200


@pytest.fixture
def submitted(cast):
    round_ = make_round("2025")
    fill_scores(round_, cast.village_a, "92")
    fill_scores(round_, cast.village_b, "70")
    return round_submit(round_=round_, acting_user=cast.users["staff"])


def test_the_return_reason_has_its_label_and_is_required(submitted, client_for, django_capture_on_commit_callbacks):
    leader = client_for("leader")
    url = reverse("scoring:round", args=[submitted.pk])
    form = leader.get(url).content.decode().split("reason-form", 1)[1].split("</form>", 1)[0]
    assert '<label for="id_return_reason">退回原因</label>' in form
    textarea = re.search(r'<textarea name="reason"[^>]*>', form).group(0)
    assert 'id="id_return_reason"' in textarea and " required" in textarea
    with django_capture_on_commit_callbacks(execute=True):
        refused = leader.post(reverse("scoring:round_transition", args=[submitted.pk, "return"]), {"reason": "  "})
    assert refused.status_code == 400
    needs_reason = "退回轮次须说明理由：工作人员会在轮次页面看到。"
    assert refused.context["return_form"].errors == {"reason": [needs_reason]}
    assert f'<div class="error" role="alert">{needs_reason}</div>' in refused.content.decode()
    assert Round.objects.get(pk=submitted.pk).status == Round.Status.SUBMITTED
    assert not Notice.objects.exists()


def test_staff_read_the_return_reason_in_their_notice_and_on_the_round_page(
    submitted, cast, client_for, django_capture_on_commit_callbacks
):
    url = reverse("scoring:round_transition", args=[submitted.pk, "return"])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("leader").post(url, {"reason": REASON})
    leader = cast.users["leader"]
    notice = Notice.objects.get(user=cast.users["staff"])
    assert notice.text == f"{leader}退回了2025评分轮次（第1版），理由：{REASON}"
    assert notice.link == reverse("scoring:round", args=[submitted.pk])
    banner = client_for("staff").get(notice.link).content.decode().split('id="returned">', 1)[1].split("</p>", 1)[0]
    assert banner.endswith(f"退回，理由： {REASON}")
    # Submitted again, the leader still sees why it came back last time.
    round_submit(round_=submitted, acting_user=cast.users["staff"])
    page = client_for("leader").get(notice.link).content.decode()
    assert 'id="returned"' not in page
    last = page.split('id="last-returned">', 1)[1].split("</p>", 1)[0]
    assert last.startswith(f"上次由 {leader} 于 ") and last.endswith(f"退回，理由： {REASON}")


def test_a_return_reaches_every_staff_member_when_the_submitter_no_longer_can(
    submitted, cast, django_capture_on_commit_callbacks
):
    from scoring.services import round_return

    other = UserFactory(username="staff_2", full_name="案管干部", role=Role.COMMISSION_STAFF)
    cast.users["staff"].is_active = False
    cast.users["staff"].save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        round_return(round_=submitted, acting_user=cast.users["leader"], reason=REASON)
    assert list(Notice.objects.values_list("user__username", flat=True)) == [other.username]
    assert REASON in Notice.objects.get().text


def test_a_summary_gone_stale_publishes_nothing_and_the_leader_confirms_the_new_one(awaiting_publication, client_for):
    """A veto recorded after the leader read the summary (here 石曲村, an A): the confirmed publication
    would make public something else than what was confirmed, so nothing is published."""
    leader = client_for("leader")
    page = leader.get(reverse("scoring:round", args=[awaiting_publication.pk])).content.decode()
    fingerprint = re.search(r'name="confirm" value="([0-9a-f]{64})"', page).group(1)
    VetoEvent.objects.create(
        round=awaiting_publication,
        village=VillageResult.objects.get(round=awaiting_publication, village__name="石曲村").village,
        item=awaiting_publication.veto_item,
        reason="村主任违规发包",
    )
    url = reverse("scoring:round_transition", args=[awaiting_publication.pk, "publish"])
    response = leader.post(url, {"confirm": fingerprint}, follow=True)
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.APPROVED
    assert "未发布：显示核对摘要后结果已有变化" in response.content.decode()

    page = leader.get(reverse("scoring:round", args=[awaiting_publication.pk])).content.decode()
    fresh = re.search(r'name="confirm" value="([0-9a-f]{64})"', page).group(1)
    assert fresh != fingerprint
    leader.post(url, {"confirm": fresh})
    assert Round.objects.get(pk=awaiting_publication.pk).status == Round.Status.PUBLISHED
    assert VillageResult.objects.get(round=awaiting_publication, village__name="石曲村").grade == "C"


def test_a_corrections_summary_compares_with_the_revision_it_replaces(awaiting_publication, cast):
    published = round_publish(round_=awaiting_publication, acting_user=cast.users["leader"])
    correction = round_correct(round_=published, acting_user=cast.users["staff"], reason="更正石曲村得分")
    Score.objects.filter(round=correction, village=cast.village_a).delete()
    fill_scores(correction, cast.village_a, "85")  # 石曲村: 95 published, 85 in the correction
    round_submit(round_=correction, acting_user=cast.users["staff"])
    round_approve(round_=correction, acting_user=cast.users["leader"])
    summary = publication_summary(correction)
    assert summary.previous_round == published
    assert moves(summary.fallen) == [("石曲村", Decimal("95.00"), Decimal("85.00"), Decimal("-10.00"))]
    assert summary.risen == []
