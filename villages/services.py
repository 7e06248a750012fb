"""Writes of the organisation tree. The admin's edits and its spreadsheet import come through here: each
edit is audited (its history row becomes a chained audit row) and the public pages, which show places'
names, merges and townships, are rebuilt once the change is committed."""

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.publication import bump_public_generation
from core.services import audited_save, require

from .models import Station, StationKind, Township, Village
from .standard import POSITION_STEP, STATION_KINDS

if TYPE_CHECKING:
    from accounts.models import User

Place = TypeVar("Place", Township, Village)


def places_changed() -> None:
    """The public pages are rebuilt once the change is committed (their cache is keyed on a generation)."""
    transaction.on_commit(bump_public_generation)


@transaction.atomic
def place_save(place: Place, acting_user: "User") -> Place:
    """A township or village created or edited (renamed, moved, merged, made inactive)."""
    audited_save(place, acting_user)
    places_changed()
    return place


# --- Grassroots stations (基层站所) ------------------------------------------------------------------------
# The register the county keeps of the stations serving each township's villagers (派出所, 市场监管所…), rated
# 群众满意基层站所 on the star engine. A station is never deleted (its ratings rest on it): it is made inactive,
# and may be made active again.

STATION_NAME_TAKEN = _("%(township)s has a station named “%(name)s” already.")


def manages_stations(user: "User", township: Township) -> bool:
    """Who keeps a township's stations: the staff of its county, and the system administrator, who keeps
    the organisation tree. Services, views and templates ask this one question."""
    if user.has_role(Role.SYSTEM_ADMIN):
        return True
    return bool(
        user.has_role(Role.COMMISSION_STAFF)
        and user.district_id is not None
        and user.district_id == township.district_id
    )


@transaction.atomic
def station_kinds_ensure(acting_user: "User | None" = None) -> list[StationKind]:
    """The default kinds of station (villages.standard) that are missing, created; idempotent. A kind the
    administrator renamed or moved is left as it is."""
    existing = set(StationKind.objects.values_list("name", flat=True))
    created = []
    for index, name in enumerate(STATION_KINDS, start=1):
        if name not in existing:
            created.append(audited_save(StationKind(name=name, position=index * POSITION_STEP), acting_user))
    return created


def _name_free(township: Township, name: str, station: Station | None) -> None:
    clash = Station.objects.filter(township=township, name=name)
    if station is not None:
        clash = clash.exclude(pk=station.pk)
    if clash.exists():
        raise ValidationError(
            {"name": ValidationError(STATION_NAME_TAKEN, code="unique", params={"township": township, "name": name})}
        )


@transaction.atomic
def station_save(
    *,
    kind: StationKind,
    name: str,
    acting_user: "User",
    township: Township | None = None,
    station: Station | None = None,
) -> Station:
    """A new station of `township` enters the register, or `station`'s kind and name change. A station
    stays in its township: one that moves is a new station, the old one made inactive."""
    if station is not None:
        station = Station.objects.select_for_update().select_related("township").get(pk=station.pk)
        township = station.township
    elif township is None:
        raise ValueError("station_save needs a station to change or a township to add one to")
    require(manages_stations(acting_user, township))
    name = name.strip()
    _name_free(township, name, station)
    if station is None:
        station = Station(township=township)
    station.kind, station.name = kind, name
    return audited_save(station, acting_user)


@transaction.atomic
def station_set_active(*, station: Station, active: bool, acting_user: "User") -> Station:
    """The station made inactive (it closed or merged; its ratings stay) or active again."""
    station = Station.objects.select_for_update().select_related("township").get(pk=station.pk)
    require(manages_stations(acting_user, station.township))
    if station.active == active:
        return station  # a second click of the same button changes nothing
    station.active = active
    return audited_save(station, acting_user)
