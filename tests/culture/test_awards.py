"""The 十大评选: nominating in scope, the shortlist and its window, the public vote (one per category per
browser per day, rate-limited, no address kept), counts hidden until the close, and the published ten."""

import secrets
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from culture import award_views, awards
from culture.models import AwardCategory, AwardContest, Nomination, NominationPhoto, Vote

from . import award_builders as build
from .award_builders import PNG

PERSON, RULES, STORY = AwardCategory.PERSON, AwardCategory.FAMILY_RULES, AwardCategory.STORY
ALREADY_VOTED = "您今天已在该类别投过票"  # the start of awards.ALREADY_VOTED in Chinese


@pytest.fixture(autouse=True)
def _unlimited(settings):
    """Every test's votes come from the test client's one address: only the rate test limits them."""
    settings.VOTE_RATE = "10000/h"


@pytest.fixture
def voting(cast):
    """A contest in its public vote (opened an hour ago, closing in three days): two people and a story."""
    return build.shortlisted(
        cast.users["staff"],
        [
            (PERSON, cast.township_a, "王阿婆"),
            (PERSON, cast.township_b, "李书记"),
            (STORY, cast.township_a, "一本账簿"),
        ],
        closes=timezone.now() + timedelta(days=3),
    )


def vote(client, contest, nomination, address: str = "127.0.0.1"):
    return client.post(reverse("awards_public:vote", args=[contest.pk, nomination.pk]), REMOTE_ADDR=address)


def votes_of(nomination) -> int:
    nomination.refresh_from_db()
    return nomination.votes


# --- Opening and nominating ------------------------------------------------------------------------------


def test_the_staff_open_one_contest_per_year(cast, client_for):
    client = client_for("staff")
    data = {"year": "2025", "title": "清廉文化十大评选", "winners_per_category": "10"}
    response = client.post(reverse("awards:contest_new"), data)
    contest = AwardContest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:contest", args=[contest.pk])
    assert contest.district == cast.users["staff"].district and contest.status == AwardContest.Status.NOMINATING
    again = client.post(reverse("awards:contest_new"), data)
    assert again.status_code == 400
    assert "本区县2025年的十大评选已经开设" in again.content.decode()
    assert AwardContest.objects.count() == 1


def test_a_secretary_nominates_for_the_own_township_with_a_photo(cast, client_for):
    contest = build.contest(cast.users["staff"])
    response = client_for("secretary_a").post(
        reverse("awards:nominate", args=[contest.pk, cast.township_a.code]),
        {
            "category": RULES,
            "village": cast.village_a.pk,
            "title": "勤俭持家 清白做人",
            "story": "石曲村王家三代传承的家训。",
            "photos": [SimpleUploadedFile("家训.png", PNG, content_type="image/png")],
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert (nomination.township, nomination.village, nomination.category) == (cast.township_a, cast.village_a, RULES)
    assert nomination.status == Nomination.Status.NOMINATED and nomination.nominated_by == cast.users["secretary_a"]
    assert NominationPhoto.objects.get().nomination == nomination
    assert nomination.history.count() == 1  # audited


def test_a_document_is_refused_as_a_photo_and_the_form_keeps_what_was_typed(cast, client_for):
    contest = build.contest(cast.users["staff"])
    response = client_for("secretary_a").post(
        reverse("awards:nominate", args=[contest.pk, cast.township_a.code]),
        {
            "category": PERSON,
            "title": "王阿婆",
            "story": "数十年如一日",
            "photos": [SimpleUploadedFile("事迹.pdf", b"%PDF-1.4 story", content_type="application/pdf")],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "事迹.pdf不是JPEG或PNG照片" in page and 'value="王阿婆"' in page
    assert not Nomination.objects.exists() and not NominationPhoto.objects.exists()


def test_a_secretary_gets_404_on_another_townships_form_and_nomination(cast, client_for):
    contest = build.contest(cast.users["staff"])
    theirs = build.nominate(contest, cast.township_b, cast.users["secretary_b"], title="CANARY-李某")
    client = client_for("secretary_a")
    assert client.get(reverse("awards:nominate", args=[contest.pk, cast.township_b.code])).status_code == 404
    assert client.get(reverse("awards:nomination", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("awards:contest", args=[contest.pk])).content.decode()
    assert "CANARY-李某" not in page  # the own township's nominations only
    with pytest.raises(PermissionDenied):
        build.nominate(contest, cast.township_b, cast.users["secretary_a"])


def test_another_countys_staff_get_404_on_the_contest_and_its_nominations(second_county, client_for):
    contest = build.contest(second_county.users["staff"])
    nomination = build.nominate(contest, second_county.township_a, second_county.users["secretary_a"])
    client = client_for("staff_b")
    assert client.get(reverse("awards:contest", args=[contest.pk])).status_code == 404
    assert client.get(reverse("awards:nomination", args=[nomination.pk])).status_code == 404
    assert client.get(reverse("awards:contests")).context["contests"].count() == 0
    with pytest.raises(PermissionDenied):
        awards.nomination_decide(nomination=nomination, shortlisted=True, acting_user=second_county.users["staff_b"])


def test_the_window_needs_every_nomination_decided(cast):
    staff = cast.users["staff"]
    contest = build.contest(staff)
    build.nominate(contest, cast.township_a, staff)
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        awards.contest_shortlist(
            contest=contest,
            version=contest.version,
            vote_opens_at=now,
            vote_closes_at=now + timedelta(days=7),
            acting_user=staff,
        )
    assert refused.value.messages == ["请先对每个推荐对象作出入围或不入围的决定：还有 1 个未决定。"]


def test_the_staff_shortlist_and_open_the_vote_through_the_page(cast, client_for):
    staff = cast.users["staff"]
    contest = build.contest(staff)
    kept, dropped = (
        build.nominate(contest, cast.township_a, staff),
        build.nominate(contest, cast.township_b, staff, title="张某"),
    )
    client = client_for("staff")
    assert client.post(reverse("awards:nomination_action", args=[kept.pk, "shortlist"])).status_code == 302
    assert client.post(reverse("awards:nomination_action", args=[dropped.pk, "reject"])).status_code == 302
    response = client.post(
        reverse("awards:contest_action", args=[contest.pk, "window"]),
        {"version": contest.version, "vote_opens_at": "2025-06-01T08:00", "vote_closes_at": "2025-06-10T20:00"},
    )
    contest.refresh_from_db()
    assert response.status_code == 302 and contest.status == AwardContest.Status.SHORTLISTED
    assert f"{timezone.localtime(contest.vote_opens_at):%Y-%m-%d %H:%M}" == "2025-06-01 08:00"
    assert Nomination.objects.get(pk=dropped.pk).status == Nomination.Status.NOT_SHORTLISTED
    assert (
        client_for("secretary_a").post(reverse("awards:nomination_action", args=[kept.pk, "reject"])).status_code == 403
    )


# --- The vote ---------------------------------------------------------------------------------------------


def test_a_vote_inside_the_window_counts_and_the_page_thanks(cast, client, voting):
    contest, (wang, _li, _story) = voting
    response = vote(client, contest, wang)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards_public:contest", args=[contest.pk]) + f"#nomination-{wang.pk}"
    assert votes_of(wang) == 1 and Vote.objects.count() == 1
    assert "感谢您的投票" in client.get(response["Location"]).content.decode()


def test_a_vote_before_the_window_opens_is_refused(cast, client):
    now = timezone.now()
    contest, (wang,) = build.shortlisted(
        cast.users["staff"],
        [(PERSON, cast.township_a, "王阿婆")],
        opens=now + timedelta(days=1),
        closes=now + timedelta(days=8),
    )
    response = vote(client, contest, wang)
    assert response.status_code == 400
    assert "投票尚未开始" in response.content.decode()
    assert votes_of(wang) == 0 and not Vote.objects.exists()


def test_a_vote_after_the_window_closed_is_refused(cast, client, voting):
    contest, (wang, *_) = voting
    contest = build.close(contest)
    response = vote(client, contest, wang)
    assert response.status_code == 400
    assert "投票已经结束" in response.content.decode()
    assert votes_of(wang) == 0


def test_the_window_is_half_open(cast, voting):
    contest, (wang, *_) = voting
    awards.vote_cast(nomination=wang, ballot="a", now=contest.vote_opens_at)  # at the opening: in
    with pytest.raises(ValidationError):
        awards.vote_cast(nomination=wang, ballot="b", now=contest.vote_closes_at)  # at the closing: out
    assert votes_of(wang) == 1


def test_a_nomination_not_shortlisted_gets_no_vote(cast, client):
    staff = cast.users["staff"]
    contest = build.contest(staff)
    kept = awards.nomination_decide(
        nomination=build.nominate(contest, cast.township_a, staff), shortlisted=True, acting_user=staff
    )
    dropped = awards.nomination_decide(
        nomination=build.nominate(contest, cast.township_b, staff, title="张某"), shortlisted=False, acting_user=staff
    )
    now = timezone.now()
    contest = awards.contest_shortlist(
        contest=contest,
        version=contest.version,
        vote_opens_at=now - timedelta(hours=1),
        vote_closes_at=now + timedelta(days=1),
        acting_user=staff,
    )
    assert vote(client, contest, dropped).status_code == 404
    assert "张某" not in client.get(reverse("awards_public:contest", args=[contest.pk])).content.decode()
    assert votes_of(dropped) == 0 and votes_of(kept) == 0


def test_a_second_vote_the_same_day_in_the_category_is_refused_and_changes_nothing(cast, client, voting):
    contest, (wang, li, story) = voting
    assert vote(client, contest, wang).status_code == 302
    second = vote(client, contest, li)
    assert second.status_code == 400
    assert ALREADY_VOTED in second.content.decode()
    assert (votes_of(wang), votes_of(li), Vote.objects.count()) == (1, 0, 1)
    assert vote(client, contest, story).status_code == 302  # another category: allowed
    assert votes_of(story) == 1 and Vote.objects.count() == 2


def test_the_next_day_the_browser_votes_again(cast, voting):
    _contest, (wang, li, _story) = voting
    now = timezone.now()
    awards.vote_cast(nomination=wang, ballot="ballot-1", now=now)
    with pytest.raises(ValidationError):
        awards.vote_cast(nomination=wang, ballot="ballot-1", now=now)
    awards.vote_cast(nomination=li, ballot="ballot-1", now=now + timedelta(days=1))
    assert (votes_of(wang), votes_of(li)) == (1, 1)
    assert sorted(Vote.objects.values_list("voted_on", flat=True)) == [
        timezone.localdate(now),
        timezone.localdate(now + timedelta(days=1)),
    ]


def test_two_votes_at_once_count_once(cast, voting, monkeypatch):
    """The check before the write can be passed by two clicks at the same moment: the unique constraint
    refuses the second, with the same message, and the count stays."""
    _contest, (wang, *_) = voting
    awards.vote_cast(nomination=wang, ballot="same", now=timezone.now())

    class Unseen:
        def exists(self) -> bool:
            return False

    monkeypatch.setattr(Vote.objects, "filter", lambda **_: Unseen())
    with pytest.raises(ValidationError) as refused:
        awards.vote_cast(nomination=wang, ballot="same", now=timezone.now())
    assert refused.value.code == "voted"
    assert votes_of(wang) == 1


def test_another_browser_votes_in_the_same_category(cast, voting, client_for):
    contest, (wang, *_) = voting
    assert vote(client_for("anonymous"), contest, wang).status_code == 302
    assert vote(client_for("anonymous"), contest, wang).status_code == 302
    assert votes_of(wang) == 2


def test_a_vote_keeps_no_address_and_only_a_hash_of_the_ballot(cast, client, voting):
    contest, (wang, *_) = voting
    response = vote(client, contest, wang, address="203.0.113.77")
    cookie = response.cookies[award_views.BALLOT_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 365 * 24 * 3600
    row = Vote.objects.values().get()
    assert set(row) == {"id", "nomination_id", "contest_id", "category", "voter_key", "voted_on"}
    assert len(row["voter_key"]) == 64 and row["voter_key"] not in cookie.value
    assert "203.0.113.77" not in str(row)
    unsigned = cookie.value.split(":")[0]
    assert row["voter_key"] == awards.voter_key(unsigned)


def test_a_forged_ballot_cookie_is_replaced(cast, client, voting):
    contest, (wang, *_) = voting
    client.cookies[award_views.BALLOT_COOKIE] = "forged"
    response = vote(client, contest, wang)
    assert response.status_code == 302 and response.cookies[award_views.BALLOT_COOKIE].value != "forged"
    assert Vote.objects.get().voter_key != awards.voter_key("forged")


def test_votes_are_rate_limited_per_address(cast, client_for, voting, settings):
    settings.VOTE_RATE = "2/h"
    contest, (wang, *_) = voting
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"  # counted afresh
    for _ in range(2):
        assert vote(client_for("anonymous"), contest, wang, address).status_code == 302
    refused = vote(client_for("anonymous"), contest, wang, address)
    assert refused.status_code == 429
    assert "来自您所在地址的投票过多" in refused.content.decode()
    assert votes_of(wang) == 2
    assert vote(client_for("anonymous"), contest, wang, "10.255.0.2").status_code == 302  # another address


# --- Counts and the results -------------------------------------------------------------------------------


def test_counts_are_hidden_from_everyone_until_the_window_closes(cast, client, client_for, voting):
    contest, (wang, *_) = voting
    for ballot in ("a", "b", "c"):
        awards.vote_cast(nomination=wang, ballot=ballot)
    public = client.get(reverse("awards_public:contest", args=[contest.pk])).content.decode()
    assert "3 票" not in public and "票数在投票结束后公布" in public
    staff = client_for("staff").get(reverse("awards:contest", args=[contest.pk]))
    assert (
        staff.context["counts"] is False
        and "计票结果在投票结束前对任何人（包括工作人员）都不显示" in staff.content.decode()
    )
    nomination_page = client_for("staff").get(reverse("awards:nomination", args=[wang.pk])).content.decode()
    assert "投票结束后显示" in nomination_page
    build.close(contest)
    after = client.get(reverse("awards_public:contest", args=[contest.pk])).content.decode()
    assert "3 票" in after and "投票已经结束" in after
    assert client_for("staff").get(reverse("awards:contest", args=[contest.pk])).context["counts"] is True


def test_publishing_is_refused_before_the_window_closes(cast, voting):
    contest, _ = voting
    with pytest.raises(ValidationError) as refused:
        awards.contest_publish(contest=contest, version=contest.version, acting_user=cast.users["staff"])
    assert refused.value.code == "open"
    contest.refresh_from_db()
    assert contest.status == AwardContest.Status.SHORTLISTED


def test_publishing_picks_the_top_n_of_each_category_and_an_equal_count_goes_to_the_earlier(cast, client_for):
    staff = cast.users["staff"]
    people = [(PERSON, cast.township_a, f"人物{number}") for number in range(4)]
    stories = [(STORY, cast.township_b, f"故事{number}") for number in range(2)]
    contest, rows = build.shortlisted(staff, people + stories, winners=2, closes=timezone.now() + timedelta(days=1))
    person0, person1, person2, person3, _story0, story1 = rows
    for nomination, count in ((person0, 1), (person1, 5), (person2, 3), (person3, 3), (story1, 1)):
        for number in range(count):
            awards.vote_cast(nomination=nomination, ballot=f"{nomination.pk}-{number}")
    contest = build.close(contest)
    response = client_for("staff").post(
        reverse("awards:contest_action", args=[contest.pk, "publish"]), {"version": contest.version}
    )
    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.status == AwardContest.Status.PUBLISHED and contest.published_at is not None
    winners = set(Nomination.objects.filter(winner=True).values_list("title", flat=True))
    assert winners == {"人物1", "人物2", "故事0", "故事1"}  # 人物2 and 人物3 tie at 3: the earlier wins
    public = client_for("anonymous").get(reverse("awards_public:contest", args=[contest.pk])).content.decode()
    assert "人物1" in public and "人物3" not in public and "数十年如一日" in public
    assert public.index("人物1") < public.index("人物2")
    assert "结果已公布" in public and "投票</button>" not in public


def test_a_published_contest_is_changed_no_more(cast, voting):
    contest, (wang, *_) = voting
    contest = build.close(contest)
    contest = awards.contest_publish(contest=contest, version=contest.version, acting_user=cast.users["staff"])
    with pytest.raises(ValidationError):
        awards.contest_publish(contest=contest, version=contest.version, acting_user=cast.users["staff"])
    with pytest.raises(PermissionDenied):
        awards.nomination_photos_attach(
            nomination=wang, uploads=[SimpleUploadedFile("a.png", PNG)], acting_user=cast.users["staff"]
        )


# --- Photos and pages -------------------------------------------------------------------------------------


def test_a_photo_is_public_only_when_its_nomination_is(cast, client_for):
    staff = cast.users["staff"]
    contest = build.contest(staff)
    nomination = build.nominate(contest, cast.township_a, cast.users["secretary_a"])
    (photo,) = awards.nomination_photos_attach(
        nomination=nomination, uploads=[SimpleUploadedFile("照片.png", PNG)], acting_user=cast.users["secretary_a"]
    )
    url = reverse("awards_public:photo", args=[photo.pk])
    assert client_for("anonymous").get(url).status_code == 404
    assert client_for("secretary_b").get(url).status_code == 404
    assert client_for("secretary_a").get(url).status_code == 200
    awards.nomination_decide(nomination=nomination, shortlisted=True, acting_user=staff)
    now = timezone.now()
    awards.contest_shortlist(
        contest=contest,
        version=contest.version,
        vote_opens_at=now,
        vote_closes_at=now + timedelta(days=1),
        acting_user=staff,
    )
    shown = client_for("anonymous").get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"


def test_the_public_list_links_the_contests_in_their_vote(cast, client, voting):
    contest, _ = voting
    build.contest(cast.users["staff"], year=2026)  # still taking nominations: not public
    page = client.get(reverse("awards_public:index"))
    assert page.status_code == 200
    assert list(page.context["contests"]) == [contest]
    assert "十大评选" in page.content.decode()
    assert client.get(reverse("awards_public:contest", args=[contest.pk + 1])).status_code == 404


def test_the_public_page_is_in_chinese_and_in_a_fixed_number_of_queries(
    cast, client, voting, django_assert_max_num_queries
):
    contest, rows = voting
    for nomination in rows:
        awards.nomination_photos_attach(
            nomination=nomination, uploads=[SimpleUploadedFile("照片.png", PNG)], acting_user=cast.users["staff"]
        )
    with django_assert_max_num_queries(8):
        page = client.get(reverse("awards_public:contest", args=[contest.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "清廉人物" in text and "清廉故事" in text and "投票</button>" in text and "每个类别每天可投一票" in text


def test_the_staff_pages_are_in_a_fixed_number_of_queries(cast, client_for, voting, django_assert_max_num_queries):
    contest, _ = voting
    client = client_for("staff")
    client.get(reverse("awards:contests"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("awards:contest", args=[contest.pk]))
    assert page.status_code == 200 and "入围公示投票" in page.content.decode()
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("awards:contests"))
    assert "清廉文化十大评选" in listing.content.decode()


def test_the_demo_shows_a_vote_open_now_and_last_years_ten(cast, client):
    from culture.demo import seed_awards

    secretaries = {cast.township_a.pk: cast.users["secretary_a"], cast.township_b.pk: cast.users["secretary_b"]}
    staff = cast.users["staff"]
    assert seed_awards(district=staff.district, staff=staff, secretaries=secretaries) == 2
    assert seed_awards(district=staff.district, staff=staff, secretaries=secretaries) == 0
    current = AwardContest.objects.get(year=timezone.localdate().year)
    last = AwardContest.objects.get(year=timezone.localdate().year - 1)
    assert awards.vote_is_open(current) and last.status == AwardContest.Status.PUBLISHED
    for category in AwardCategory.values:
        assert Nomination.objects.filter(contest=current, category=category, status="shortlisted").count() == 11
        assert Nomination.objects.filter(contest=last, category=category, winner=True).count() == 10
    page = client.get(reverse("awards_public:contest", args=[current.pk])).content.decode()
    assert "投票</button>" in page and "王阿婆" in page
    assert "票数在投票结束后公布" in page
