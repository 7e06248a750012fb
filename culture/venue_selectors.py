"""Reads of the 清廉文化阵地 register: for staff and secretaries in their scope (another township's or
county's venue is 404), for the public site (every registered venue is public, with its photos: the
register is a public list of places, nothing in it is about a person), and the count per village that
scorers see beside indicator MF2 (清廉文化阵地建设)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import scope_to_user
from accounts.models import User
from villages.models import Township, Village

from .models import CultureVenue, VenuePhoto
from .selectors import READERS

# The indicator of the standard scheme the register is counted beside (scoring.standard).
MF2 = "MF2"
PUBLIC_PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def venues_for(user: User) -> QuerySet[CultureVenue]:
    return scope_to_user(
        CultureVenue.objects.select_related("village__township"),
        user,
        roles=READERS,
        township_field="village__township_id",
    )


def get_venue_for(user: User, pk: int) -> CultureVenue:
    """The venue if the user reads it; 404 for missing and foreign alike."""
    return get_object_or_404(venues_for(user), pk=pk)


def venue_photos_for(user: User) -> QuerySet[VenuePhoto]:
    return scope_to_user(
        VenuePhoto.objects.select_related("venue"), user, roles=READERS, township_field="venue__village__township_id"
    )


def villages_of(township: Township) -> QuerySet[Village]:
    """The villages a venue of the township may belong to."""
    return Village.objects.filter(township=township, active=True).order_by("code")


def venue_list(user: User, township: Township | None = None) -> QuerySet[CultureVenue]:
    """The venues the user reads (of one township, when given), by township and village, with how many
    photos each has (one query)."""
    venues = venues_for(user).select_related("village__township__district")
    if township is not None:
        venues = venues.filter(village__township=township)
    return venues.annotate(photo_count=Count("photos")).order_by(
        "village__township__code", "village__code", "opened_on", "id"
    )


@dataclass(frozen=True)
class VillageCount:
    village: Village
    venues: int


def counts_per_village(user: User, township: Township | None = None) -> list[VillageCount]:
    """Each active village the user reads (of one township, when given) with its registered venues, the
    villages without any among them (one query)."""
    villages = scope_to_user(
        Village.objects.filter(active=True).select_related("township"),
        user,
        roles=READERS,
        township_field="township_id",
    )
    if township is not None:
        villages = villages.filter(township=township)
    rows = villages.annotate(venue_count=Count("culture_venues")).order_by("township__code", "code")
    return [VillageCount(village, village.venue_count) for village in rows]  # type: ignore[attr-defined]


def venue_photos(venue: CultureVenue) -> list[VenuePhoto]:
    return list(venue.photos.select_related("uploaded_by").order_by("uploaded_at", "id"))


# --- The public site ----------------------------------------------------------------------------------------


def public_township(code: str) -> Township:
    """A township by its code for the public pages, whoever asks; 404 when there is none."""
    return get_object_or_404(Township.objects.select_related("district"), code=code)


def public_venues(township: Township) -> list[CultureVenue]:
    """Every venue of the township's villages, each with its photos (two queries)."""
    photos = Prefetch("photos", queryset=VenuePhoto.objects.filter(content_type__in=PUBLIC_PHOTO_TYPES).order_by("id"))
    return list(
        CultureVenue.objects.filter(village__township=township)
        .select_related("village")
        .prefetch_related(photos)
        .order_by("village__code", "opened_on", "id")
    )


def public_photo(pk: int) -> VenuePhoto:
    """A photo of a registered venue (all are public), a picture only; 404 otherwise."""
    return get_object_or_404(VenuePhoto.objects.filter(content_type__in=PUBLIC_PHOTO_TYPES), pk=pk)


# --- Beside indicator MF2 when it is scored ------------------------------------------------------------------


def venue_note(count: int) -> str:
    if not count:
        return _("no venue registered")
    return ngettext("%(count)s venue", "%(count)s venues", count) % {"count": count}


def mf2_notes(villages: Sequence[Village], year: int) -> dict[int, str]:
    """village id → how many venues the register holds for it that had opened by the end of `year`
    (one query), e.g. "阵地 2 处"."""
    ids = [village.pk for village in villages]
    counts = dict(
        CultureVenue.objects.filter(village_id__in=ids, opened_on__lte=date(year, 12, 31))
        .values("village_id")
        .annotate(n=Count("id"))
        .values_list("village_id", "n")
        .order_by()
    )
    return {village_id: venue_note(counts.get(village_id, 0)) for village_id in ids}
