"""Reads of the objections residents file against a published index (公示期异议), always in the reader's
scope: the county's staff and leaders read their county's, a township secretary those about the own
township's villages (read-only), the city's roles only how many each county has."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import CITY_ROLES, INDEX_ROLES, Role
from villages.models import Village

from .models import IndexObjection, Round

# Who reads objections one by one: the county's staff and leaders, a secretary those of the own township.
OBJECTION_READERS = INDEX_ROLES
# Who reads objection counts: the above for their scope, and the city's roles for each county of the city.
OBJECTION_COUNT_READERS = INDEX_ROLES | CITY_ROLES


def _objections() -> QuerySet[IndexObjection]:
    return IndexObjection.objects.select_related(
        "round__period__district", "village__township", "answered_by", "correction"
    )


def objections_for(user: User) -> QuerySet[IndexObjection]:
    """The objections the user may open (another county's or township's are absent, so 404)."""
    return scope_to_user(
        _objections(),
        user,
        roles=OBJECTION_READERS,
        township_field="village__township_id",
        district_field="round__period__district_id",
    )


def get_objection_for(user: User, pk: int) -> IndexObjection:
    """The objection if the user may open it; 404 for a missing one and a foreign one alike."""
    objection = objections_for(user).filter(pk=pk).first()
    if objection is None:
        raise Http404
    return objection


@dataclass(frozen=True)
class ObjectionCount:
    """How many objections a county's index received, and how many wait for an answer or were upheld."""

    county: str
    received: int
    waiting: int
    upheld: int


def objection_counts(user: User) -> list[ObjectionCount]:
    """Per county in the user's scope (the city's roles: each county of the city), without any objection."""
    scoped = scope_to_user(
        IndexObjection.objects.all(),
        user,
        roles=OBJECTION_COUNT_READERS,
        township_field="village__township_id",
        district_field="round__period__district_id",
    )
    rows = (
        scoped.values("round__period__district__name", "round__period__district__code")
        .annotate(
            received=Count("id"),
            waiting=Count("id", filter=Q(upheld__isnull=True)),
            upheld=Count("id", filter=Q(upheld=True)),
        )
        .order_by("round__period__district__code")
    )
    return [
        ObjectionCount(row["round__period__district__name"], row["received"], row["waiting"], row["upheld"])
        for row in rows
    ]


def objections_to_answer(user: User) -> QuerySet[IndexObjection]:
    """Objections of the user's county that wait for an answer, oldest first (the staff's to-do)."""
    if not user.has_role(Role.COMMISSION_STAFF):
        return IndexObjection.objects.none()
    return objections_for(user).filter(upheld__isnull=True).order_by("received_at", "id")


def objected_villages(round_: Round) -> QuerySet[Village]:
    """The villages of the round a resident may object about (those with a result), by township."""
    return Village.objects.filter(results__round=round_).select_related("township").order_by("township__code", "code")


def objection_by_receipt(code: str) -> IndexObjection | None:
    """The objection a resident's receipt code names (codes are written in upper case, spaces ignored)."""
    code = "".join(code.split()).upper()
    if not code:
        return None
    return (
        IndexObjection.objects.select_related("round__period", "village", "correction")
        .filter(receipt_code=code)
        .first()
    )


def recordable_rounds(user: User) -> QuerySet[Round]:
    """The published rounds of the user's county, newest first: those a letter or call may object to."""
    if user.county_id is None:
        return Round.objects.none()
    return (
        Round.objects.select_related("period")
        .filter(status=Round.Status.PUBLISHED, period__district_id=user.county_id)
        .order_by("-period__year", "-period__half", "-revision")
    )


def recordable_villages(user: User) -> QuerySet[Village]:
    """The villages of the user's county, by township (the service checks the round has the village)."""
    if user.county_id is None:
        return Village.objects.none()
    return (
        Village.objects.filter(township__district_id=user.county_id)
        .select_related("township")
        .order_by("township__code", "code")
    )
