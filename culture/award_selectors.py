"""Reads of the 十大评选: the contests and nominations a signed-in user may see (a township's secretary the
own county's contests and the own township's nominations; the county's staff and leaders the county's;
the city's roles every county's of the city), and what the public sees: the contests in their public
vote or published, their shortlist by category, the ten, and the photos. A vote count is in none of the
rows before the window closes (`counts_visible`), for anyone."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, DISTRICT_WIDE_ROLES, Role

from .awards import ranked, vote_has_closed
from .models import AwardCategory, AwardContest, Nomination, NominationPhoto

READERS = frozenset({Role.TOWNSHIP_SECRETARY} | DISTRICT_WIDE_ROLES | CITY_ROLES)
NOMINATORS = frozenset({Role.TOWNSHIP_SECRETARY, Role.COMMISSION_STAFF})
PUBLIC_STATUSES = (AwardContest.Status.SHORTLISTED, AwardContest.Status.PUBLISHED)


def contests_for(user: User) -> QuerySet[AwardContest]:
    return scope_to_user(
        AwardContest.objects.select_related("district"), user, roles=READERS, district_field="district_id"
    )


def get_contest_for(user: User, pk: int) -> AwardContest:
    """The contest if the user may read it; 404 for missing and foreign alike."""
    return get_object_or_404(contests_for(user), pk=pk)


def nominations_for(user: User) -> QuerySet[Nomination]:
    return scope_to_user(
        Nomination.objects.select_related("contest__district", "township", "village"),
        user,
        roles=READERS,
        township_field="township_id",
    )


def get_nomination_for(user: User, pk: int) -> Nomination:
    return get_object_or_404(nominations_for(user), pk=pk)


def counts_visible(contest: AwardContest, now: datetime | None = None) -> bool:
    """Votes are shown (publicly and to the staff alike) only once the window has closed."""
    return vote_has_closed(contest, now)


@dataclass
class CategoryRows:
    category: str
    label: str
    nominations: list[Nomination]


def by_category(nominations: list[Nomination], *, rank: bool) -> list[CategoryRows]:
    """The nominations of each of the three categories; ranked by votes (ties: the earlier nomination)
    when `rank`, else in the order they were nominated."""
    rows = []
    for category in AwardCategory:
        in_category = [nomination for nomination in nominations if nomination.category == category.value]
        in_category = ranked(in_category) if rank else sorted(in_category, key=lambda n: (n.nominated_at, n.pk))
        rows.append(CategoryRows(category.value, str(category.label), in_category))
    return rows


def contest_nominations(user: User, contest: AwardContest) -> list[Nomination]:
    """The contest's nominations the user reads, with their photos (a fixed number of queries)."""
    return list(
        nominations_for(user)
        .filter(contest=contest)
        .select_related("nominated_by")
        .prefetch_related(Prefetch("photos", queryset=NominationPhoto.objects.order_by("uploaded_at", "pk")))
    )


# --- The public side -----------------------------------------------------------------------------------------


def public_contests() -> QuerySet[AwardContest]:
    return AwardContest.objects.filter(status__in=PUBLIC_STATUSES).select_related("district")


def get_public_contest(pk: int) -> AwardContest:
    return get_object_or_404(public_contests(), pk=pk)


def public_nominations(contest: AwardContest) -> list[Nomination]:
    """The shortlist (published: the ten only), with their townships and photos."""
    rows = Nomination.objects.filter(contest=contest, status=Nomination.Status.SHORTLISTED)
    if contest.status == AwardContest.Status.PUBLISHED:
        rows = rows.filter(winner=True)
    return list(
        rows.select_related("township", "village").prefetch_related(
            Prefetch("photos", queryset=NominationPhoto.objects.order_by("uploaded_at", "pk"))
        )
    )


def get_public_nomination(contest: AwardContest, pk: int) -> Nomination:
    return get_object_or_404(
        Nomination.objects.select_related("contest"), contest=contest, pk=pk, status=Nomination.Status.SHORTLISTED
    )


PUBLIC_PHOTO = Q(nomination__status=Nomination.Status.SHORTLISTED, nomination__contest__status__in=PUBLIC_STATUSES) & (
    Q(nomination__contest__status=AwardContest.Status.SHORTLISTED) | Q(nomination__winner=True)
)


def public_photo(pk: int) -> NominationPhoto | None:
    """A photo anyone may see: of a nomination on a public shortlist, or among the published ten."""
    return NominationPhoto.objects.filter(PUBLIC_PHOTO, pk=pk).first()


def photo_for(user: User, pk: int) -> NominationPhoto:
    """A photo of a nomination the user reads (a township's secretary: the own township's); 404 otherwise."""
    return get_object_or_404(
        scope_to_user(NominationPhoto.objects.all(), user, roles=READERS, township_field="nomination__township_id"),
        pk=pk,
    )
