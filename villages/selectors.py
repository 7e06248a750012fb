"""Reads of the organisation tree, always through the user's scope."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import scope_to_user
from accounts.models import User
from accounts.roles import ORGANISATION_ROLES

from .models import District, Station, StationKind, Township, Village


def townships_for(user: User | AnonymousUser) -> QuerySet[Township]:
    return scope_to_user(
        Township.objects.select_related("district"), user, township_field="id", roles=ORGANISATION_ROLES
    )


def villages_for(user: User | AnonymousUser) -> QuerySet[Village]:
    return scope_to_user(
        Village.objects.select_related("township", "merged_into"),
        user,
        township_field="township_id",
        roles=ORGANISATION_ROLES,
    )


def get_village_for(user: User | AnonymousUser, code: str) -> Village:
    """The village with this code if the user may see it; 404 for missing and foreign alike."""
    return get_object_or_404(villages_for(user), code=code)


def stations_for(user: User | AnonymousUser) -> QuerySet[Station]:
    """The grassroots stations the user sees: a secretary the own township's, the county's people their
    county's, the city's roles their city's, the system administrator all."""
    return scope_to_user(
        Station.objects.select_related("township", "kind"),
        user,
        township_field="township_id",
        roles=ORGANISATION_ROLES,
    )


def get_station_for(user: User | AnonymousUser, pk: int) -> Station:
    """The station if the user sees it; 404 for missing and foreign alike."""
    return get_object_or_404(stations_for(user), pk=pk)


def station_kinds() -> QuerySet[StationKind]:
    return StationKind.objects.all()


@dataclass(frozen=True)
class KindCount:
    kind_id: int
    name: str
    stations: int


def station_counts_per_kind(stations: QuerySet[Station]) -> list[KindCount]:
    """Each kind with how many of `stations` are of it, in the kinds' order; kinds without any left out
    (one query)."""
    rows = (
        stations.order_by("kind__position", "kind__name")
        .values_list("kind_id", "kind__name", "kind__position")
        .annotate(n=Count("id"))
    )
    return [KindCount(kind_id, name, n) for kind_id, name, _position, n in rows]


def public_village(code: str) -> Village:
    """A village by its code for the public pages, whoever asks; 404 when there is none."""
    return get_object_or_404(Village.objects.select_related("township"), code=code)


DEMO_FLAG_CACHE_KEY = "lianjie:demo-data-loaded"


def demo_data_loaded() -> bool:
    """Whether the demo's made-up places are loaded (every page then says so); cached for five minutes."""
    flag: bool | None = cache.get(DEMO_FLAG_CACHE_KEY)
    if flag is None:
        flag = District.objects.filter(is_demo=True).exists()
        cache.set(DEMO_FLAG_CACHE_KEY, flag, 300)
    return flag
