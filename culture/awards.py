"""Writes of the 十大评选 (DESIGN.md section 11): a county's staff open the year's contest; a township's
secretary (for the own township) or the county's staff nominate people, family precepts and stories,
with photos; the staff shortlist or set aside each nomination and, with the public vote's window, move
the contest to its public vote; residents vote; after the window the staff publish the ten.

Every change of a contest, a nomination or a photo is an audited save (its history row becomes a chained
audit row). A vote is not: it is a figure (Nomination.votes, counted with F() + 1, and a Vote row holding
only a keyed hash of the browser's random ballot cookie), written by anonymous residents by the thousand;
an audit row per vote would hold nothing about anyone (there is no one to name) and would bury the log.
What the audit log keeps is what decides the result: the window, the shortlist and the publication.

The rules:
- one vote per category per browser per day (the day in the installation's time zone), inside
  [vote_opens_at, vote_closes_at), for a shortlisted nomination of a contest in its public vote;
- the counts are shown to no one (residents nor staff) before the window closes, so that neither a
  running count nor a staff member's word of it steers the vote (award_selectors.counts_visible);
- the ten of a category are its shortlisted nominations with the most votes; a tie is broken by the
  earlier nomination (nominated_at, then its number), so the result never depends on the database's
  order and every nominating township knows the rule beforehand.
"""

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.services import audited_save, require, versioned_change
from core.uploads import evidence_type, store_evidence
from core.versioning import check_version
from villages.models import District, Township, Village

from .models import AwardCategory, AwardContest, Nomination, NominationPhoto, Vote, records_for_township

CONTEST_EXISTS = _("The county has a top-ten contest for %(year)s already.")
NOT_NOMINATING = _("Nominations are closed: the shortlist is made.")
NOT_OF_THE_COUNTY = _("Only a township of the contest's county nominates.")
VILLAGE_OF_ANOTHER_TOWNSHIP = _("The village must be one of the nominating township's.")
UNDECIDED = _("Shortlist or set aside every nomination first: %(count)s are still undecided.")
NOTHING_SHORTLISTED = _("Shortlist at least one nomination before the public vote.")
WINDOW_ORDER = _("The vote must close after it opens.")
WINDOW_STARTED = _("The public vote has opened: its window can no longer be changed.")
NOT_VOTING = _("The contest is not in its public vote.")
PUBLISHED_ALREADY = _("The results are published: nothing can be changed now.")
BEFORE_CLOSE = _("The results are published after the vote closes (%(closes)s).")
ONLY_PHOTOS = _("%(name)s is not a JPEG or PNG photo.")
VOTE_NOT_OPEN = _("Voting has not opened yet: it opens at %(opens)s.")
VOTE_CLOSED = _("Voting has closed.")
NOT_ON_THE_SHORTLIST = _("Only a shortlisted nomination can receive votes.")
ALREADY_VOTED = _("You have already voted in this category today: one vote per category per day. Come back tomorrow.")

# Photos of a nomination are published with it: only pictures, never a document that might carry more.
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
BALLOT_KEY_SALT = "lianjie.culture.award-ballot"


# --- Who may do what (one predicate per rule, used by services, views and templates) -----------------------


def manages_contests(user: User, district_id: int | None) -> bool:
    """A county's staff run its contests: open, shortlist, set the window, publish."""
    return user.has_role(Role.COMMISSION_STAFF) and user.district_id is not None and user.district_id == district_id


def may_nominate(user: User, contest: AwardContest, township: Township) -> bool:
    """A township's own secretary, or its county's staff, nominate for it while the contest takes
    nominations (and only for a township of the contest's county)."""
    return (
        contest.status == AwardContest.Status.NOMINATING
        and township.district_id == contest.district_id
        and records_for_township(user, township)
    )


def may_add_photos(user: User, nomination: Nomination) -> bool:
    """Those who nominate for the township add photos to its nominations until the results are published."""
    return nomination.contest.status != AwardContest.Status.PUBLISHED and records_for_township(
        user, nomination.township
    )


def vote_is_open(contest: AwardContest, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        contest.status == AwardContest.Status.SHORTLISTED
        and contest.vote_opens_at is not None
        and contest.vote_closes_at is not None
        and contest.vote_opens_at <= now < contest.vote_closes_at
    )


def vote_has_closed(contest: AwardContest, now: datetime | None = None) -> bool:
    """The window is over (or the results are out): from now on the counts may be shown."""
    if contest.status == AwardContest.Status.PUBLISHED:
        return True
    return contest.vote_closes_at is not None and (now or timezone.now()) >= contest.vote_closes_at


# --- Contest -------------------------------------------------------------------------------------------------


def contest_state(contest: AwardContest) -> str:
    return str(contest.get_status_display())


def contest_check_version(contest: AwardContest, version: int | None) -> None:
    check_version(contest, version, what=str(_("contest")), state=lambda: contest_state(contest))


def _locked_contest(contest: AwardContest, version: int | None, acting_user: User) -> AwardContest:
    locked = AwardContest.objects.select_for_update().get(pk=contest.pk)
    require(manages_contests(acting_user, locked.district_id))
    contest_check_version(locked, version)
    if locked.status == AwardContest.Status.PUBLISHED:
        raise ValidationError(PUBLISHED_ALREADY, code="wrong_status")
    return locked


@transaction.atomic
def contest_open(
    *, district: District, year: int, title: str, winners_per_category: int = 10, acting_user: User
) -> AwardContest:
    """The county's contest of the year, taking nominations."""
    require(manages_contests(acting_user, district.pk))
    if AwardContest.objects.filter(district=district, year=year).exists():
        raise ValidationError({"year": CONTEST_EXISTS % {"year": year}})
    contest = AwardContest(district=district, year=year, title=title.strip(), winners_per_category=winners_per_category)
    return audited_save(contest, acting_user)


def _check_window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"vote_closes_at": WINDOW_ORDER})


@transaction.atomic
def contest_shortlist(
    *,
    contest: AwardContest,
    version: int | None,
    vote_opens_at: datetime,
    vote_closes_at: datetime,
    acting_user: User,
    now: datetime | None = None,
) -> AwardContest:
    """入围公示: with every nomination decided, the contest moves to its public vote in the window given.
    Once shortlisted, the window may still be moved until it opens, never after (a vote cast must count
    under the rules it was cast under)."""
    contest = _locked_contest(contest, version, acting_user)
    _check_window(vote_opens_at, vote_closes_at)
    if contest.status == AwardContest.Status.NOMINATING:
        nominations = Nomination.objects.filter(contest=contest)
        undecided = nominations.filter(status=Nomination.Status.NOMINATED).count()
        if undecided:
            raise ValidationError(UNDECIDED % {"count": undecided}, code="undecided")
        if not nominations.filter(status=Nomination.Status.SHORTLISTED).exists():
            raise ValidationError(NOTHING_SHORTLISTED, code="empty")
    elif contest.vote_opens_at is not None and (now or timezone.now()) >= contest.vote_opens_at:
        raise ValidationError(WINDOW_STARTED, code="wrong_status")
    return versioned_change(
        contest,
        acting_user,
        status=AwardContest.Status.SHORTLISTED,
        vote_opens_at=vote_opens_at,
        vote_closes_at=vote_closes_at,
    )


def ranked(nominations: Iterable[Nomination]) -> list[Nomination]:
    """Most votes first; a tie goes to the earlier nomination (then the lower number): the published rule."""
    return sorted(nominations, key=lambda nomination: (-nomination.votes, nomination.nominated_at, nomination.pk))


@transaction.atomic
def contest_publish(
    *, contest: AwardContest, version: int | None, acting_user: User, now: datetime | None = None
) -> AwardContest:
    """公布: after the window has closed, the top `winners_per_category` shortlisted nominations of each
    category by votes (ties: `ranked`) become the ten, and the contest is published."""
    contest = _locked_contest(contest, version, acting_user)
    now = now or timezone.now()
    if contest.status != AwardContest.Status.SHORTLISTED:
        raise ValidationError(NOT_VOTING, code="wrong_status")
    if not vote_has_closed(contest, now):
        closes = f"{timezone.localtime(contest.vote_closes_at):%Y-%m-%d %H:%M}" if contest.vote_closes_at else "—"
        raise ValidationError(BEFORE_CLOSE % {"closes": closes}, code="open")
    shortlisted = list(
        Nomination.objects.select_for_update().filter(contest=contest, status=Nomination.Status.SHORTLISTED)
    )
    for category in AwardCategory.values:
        in_category = [nomination for nomination in shortlisted if nomination.category == category]
        for nomination in ranked(in_category)[: contest.winners_per_category]:
            nomination.winner = True
            audited_save(nomination, acting_user)
    return versioned_change(contest, acting_user, status=AwardContest.Status.PUBLISHED, published_at=now)


# --- Nominations ---------------------------------------------------------------------------------------------


@transaction.atomic
def nomination_create(
    *,
    contest: AwardContest,
    category: str,
    township: Township,
    village: Village | None,
    title: str,
    story: str,
    acting_user: User,
) -> Nomination:
    """推荐: a township's nomination in one of the three categories, with its story."""
    contest = AwardContest.objects.select_for_update().get(pk=contest.pk)
    require(records_for_township(acting_user, township))
    if township.district_id != contest.district_id:
        raise ValidationError(NOT_OF_THE_COUNTY)
    if contest.status != AwardContest.Status.NOMINATING:
        raise ValidationError(NOT_NOMINATING, code="wrong_status")
    if village is not None and village.township_id != township.pk:
        raise ValidationError({"village": VILLAGE_OF_ANOTHER_TOWNSHIP})
    nomination = Nomination(
        contest=contest,
        category=category,
        township=township,
        village=village,
        title=title.strip(),
        story=story.strip(),
        nominated_by=acting_user,
    )
    return audited_save(nomination, acting_user)


@transaction.atomic
def nomination_decide(*, nomination: Nomination, shortlisted: bool, acting_user: User) -> Nomination:
    """入围 or 未入围, while the contest takes nominations; a decision may be changed until the shortlist
    goes public."""
    nomination = Nomination.objects.select_for_update().select_related("contest").get(pk=nomination.pk)
    require(manages_contests(acting_user, nomination.contest.district_id))
    if nomination.contest.status != AwardContest.Status.NOMINATING:
        raise ValidationError(NOT_NOMINATING, code="wrong_status")
    nomination.status = Nomination.Status.SHORTLISTED if shortlisted else Nomination.Status.NOT_SHORTLISTED
    return audited_save(nomination, acting_user)


def check_photo(upload: "UploadedFile[bytes]") -> None:
    """A nomination's photo is a JPEG or a PNG, read from its content (core.uploads)."""
    if evidence_type(upload) not in PHOTO_TYPES:
        raise ValidationError(ONLY_PHOTOS % {"name": upload.name}, code="file_type")


@transaction.atomic
def nomination_photos_attach(
    *, nomination: Nomination, uploads: Iterable["UploadedFile[bytes]"], acting_user: User
) -> list[NominationPhoto]:
    nomination = Nomination.objects.select_for_update().select_related("contest", "township").get(pk=nomination.pk)
    require(may_add_photos(acting_user, nomination))
    uploads = list(uploads)
    for upload in uploads:
        check_photo(upload)
    stored = []
    for upload in uploads:
        photo = NominationPhoto(nomination=nomination)
        photo._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
        store_evidence(photo, upload, uploaded_by=acting_user)
        stored.append(photo)
    return stored


# --- Votes ---------------------------------------------------------------------------------------------------


def new_ballot() -> str:
    """A browser's ballot: random, meaningless, kept in a signed cookie (award_views)."""
    return secrets.token_urlsafe(32)


def voter_key(ballot: str) -> str:
    """What is stored of a ballot: its HMAC-SHA256 under a key derived from SECRET_KEY for this use only
    (the same secret signs the cookie, so rotating it starts every browser afresh). A stored key cannot be
    turned back into the cookie, and nothing else about the voter (address, browser) is kept."""
    return salted_hmac(BALLOT_KEY_SALT, ballot, algorithm="sha256").hexdigest()


def vote_cast(*, nomination: Nomination, ballot: str, now: datetime | None = None) -> Nomination:
    """One vote of a browser for a shortlisted nomination, inside the window; a second one the same day in
    the same category is refused (ALREADY_VOTED) and changes nothing. Not audited: see the module's note."""
    now = now or timezone.now()
    contest = AwardContest.objects.get(pk=nomination.contest_id)  # as it stands now, not as the page saw it
    if contest.status != AwardContest.Status.SHORTLISTED:
        raise ValidationError(NOT_VOTING, code="wrong_status")
    if contest.vote_opens_at is not None and now < contest.vote_opens_at:
        opens = f"{timezone.localtime(contest.vote_opens_at):%Y-%m-%d %H:%M}"
        raise ValidationError(VOTE_NOT_OPEN % {"opens": opens}, code="not_open")
    if not vote_is_open(contest, now):
        raise ValidationError(VOTE_CLOSED, code="closed")
    if nomination.status != Nomination.Status.SHORTLISTED:
        raise ValidationError(NOT_ON_THE_SHORTLIST, code="not_shortlisted")
    vote = Vote(
        nomination=nomination,
        contest=contest,
        category=nomination.category,
        voter_key=voter_key(ballot),
        voted_on=timezone.localdate(now),
    )
    if Vote.objects.filter(
        contest=contest, category=vote.category, voter_key=vote.voter_key, voted_on=vote.voted_on
    ).exists():
        raise ValidationError(ALREADY_VOTED, code="voted")
    try:
        with transaction.atomic():
            vote.save()  # two clicks at once: the unique constraint lets one in
            Nomination.objects.filter(pk=nomination.pk).update(votes=F("votes") + 1)
    except IntegrityError as raced:
        raise ValidationError(ALREADY_VOTED, code="voted") from raced
    nomination.refresh_from_db(fields=["votes"])
    return nomination
