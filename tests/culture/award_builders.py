"""十大评选 contests and nominations made through the services, as the staff and secretaries would."""

from datetime import datetime, timedelta

from django.utils import timezone

from culture import awards
from culture.models import AwardCategory, AwardContest, Nomination

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d4944415478da63f8cfc0f01f0005000201a5c1e2b60000000049454e44ae426082"
)


def contest(staff, year: int = 2025, winners: int = 10) -> AwardContest:
    return awards.contest_open(
        district=staff.district, year=year, title="清廉文化十大评选", winners_per_category=winners, acting_user=staff
    )


def nominate(
    contest, township, user, *, category=AwardCategory.PERSON, title: str = "王阿婆", story: str = "数十年如一日"
) -> Nomination:
    return awards.nomination_create(
        contest=contest, category=category, township=township, village=None, title=title, story=story, acting_user=user
    )


def shortlisted(
    staff,
    nominations: list[tuple[str, object, str]],
    *,
    opens: datetime | None = None,
    closes: datetime | None = None,
    year: int = 2025,
    winners: int = 10,
) -> tuple[AwardContest, list[Nomination]]:
    """A contest whose `nominations` (category, township, title) are all shortlisted, in its public vote from
    `opens` (an hour ago) to `closes` (in a day)."""
    made = contest(staff, year, winners)
    rows = []
    for category, township, title in nominations:
        nomination = nominate(made, township, staff, category=category, title=title)
        rows.append(awards.nomination_decide(nomination=nomination, shortlisted=True, acting_user=staff))
    now = timezone.now()
    made = awards.contest_shortlist(
        contest=made,
        version=made.version,
        vote_opens_at=opens or now - timedelta(hours=1),
        vote_closes_at=closes or now + timedelta(days=1),
        acting_user=staff,
    )
    return made, rows


def close(contest: AwardContest) -> AwardContest:
    """The window moved into the past (as if the days had gone by)."""
    now = timezone.now()
    AwardContest.objects.filter(pk=contest.pk).update(
        vote_opens_at=now - timedelta(days=10), vote_closes_at=now - timedelta(minutes=1)
    )
    contest.refresh_from_db()
    return contest
