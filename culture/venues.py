"""Writes of the 清廉文化阵地 register (廉园, 廉廊, 廉墙, 广场, 公园, 步道…; DESIGN.md section 11), each
audited (core.services.audited_save: the history row becomes a chained audit row).

A township's secretary records the venues of the own township's villages, a county's staff those of
any village of the county (culture.models.records_for_township). A venue is changed against the version
its form was filled in against. A venue that is gone is removed, not retired: the register says what
stands today (it is what indicator MF2 is scored against and what the public page shows), and the
audit log keeps the removed venue and its photos.

Every registered venue is public (its township's page on the public site shows it with its photos): a
photo is therefore only a JPEG or PNG picture, never a document that might carry more. Each write
empties the public pages' cache (core.publication) once it commits, so the public page shows it at once.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.publication import bump_public_generation
from core.services import audited_save, require, versioned_change
from core.uploads import evidence_type, store_evidence
from core.versioning import check_version
from villages.models import Township, Village

from .models import CultureVenue, VenuePhoto, records_for_township

COORDINATES_BOTH = _("Give both the latitude and the longitude, or neither.")
LATITUDE_RANGE = _("The latitude must be between -90 and 90 degrees.")
LONGITUDE_RANGE = _("The longitude must be between -180 and 180 degrees.")
VILLAGE_OF_ANOTHER_TOWNSHIP = _("The village must be one of the township's own villages.")
ONLY_PHOTOS = _("%(name)s is not a JPEG or PNG photo.")
# Venue photos are published with the venue: pictures only.
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})


def records_venues(user: User, township: Township) -> bool:
    """Who records a township's venues: its own secretary, and its county's staff."""
    return records_for_township(user, township)


def coordinates_errors(latitude: Decimal | None, longitude: Decimal | None) -> dict[str, str]:
    """What is wrong with a venue's coordinates, by field: both or neither, each in its range."""
    if (latitude is None) != (longitude is None):
        field = "longitude" if longitude is None else "latitude"
        return {field: str(COORDINATES_BOTH)}
    errors = {}
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = str(LATITUDE_RANGE)
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = str(LONGITUDE_RANGE)
    return errors


def check_photos(uploads: Iterable["UploadedFile[bytes]"]) -> None:
    """Each upload must be a JPEG or PNG picture (read from its content) within the size limit."""
    for upload in uploads:
        if evidence_type(upload) not in PHOTO_TYPES:
            raise ValidationError(ONLY_PHOTOS, code="file_type", params={"name": upload.name})


def _check(village: Village, township: Township, latitude: Decimal | None, longitude: Decimal | None) -> None:
    if village.township_id != township.pk:
        raise ValidationError({"village": VILLAGE_OF_ANOTHER_TOWNSHIP})
    errors = coordinates_errors(latitude, longitude)
    if errors:
        raise ValidationError(errors)


def _announce() -> None:
    """The public pages are cached whole: the venue shows (or goes) once the write commits."""
    transaction.on_commit(bump_public_generation)


def _store_photos(venue: CultureVenue, uploads: Iterable["UploadedFile[bytes]"], acting_user: User) -> list[VenuePhoto]:
    uploads = list(uploads)
    check_photos(uploads)
    stored = []
    for upload in uploads:
        photo = VenuePhoto(venue=venue)
        store_evidence(photo, upload, uploaded_by=acting_user)
        stored.append(photo)
    return stored


@transaction.atomic
def venue_record(
    *,
    township: Township,
    village: Village,
    name: str,
    kind: str,
    address: str,
    opened_on: date,
    description: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: Iterable["UploadedFile[bytes]"] = (),
    acting_user: User,
) -> CultureVenue:
    """A venue of one of the township's villages enters the register, with its photos."""
    require(records_venues(acting_user, township))
    _check(village, township, latitude, longitude)
    venue = CultureVenue(
        village=village,
        name=name.strip(),
        kind=kind,
        address=address.strip(),
        opened_on=opened_on,
        description=description.strip(),
        latitude=latitude,
        longitude=longitude,
        recorded_by=acting_user,
    )
    audited_save(venue, acting_user)
    _store_photos(venue, photos, acting_user)
    _announce()
    return venue


def venue_state(venue: CultureVenue) -> str:
    return f"“{venue.name}”"


def venue_check_version(venue: CultureVenue, version: int | None) -> None:
    """A form filled in against an older version of the venue is refused before anything else."""
    check_version(venue, version, what=str(_("venue")), state=lambda: venue_state(venue))


def _locked(venue: CultureVenue, acting_user: User) -> CultureVenue:
    locked = CultureVenue.objects.select_for_update().select_related("village__township").get(pk=venue.pk)
    require(records_venues(acting_user, locked.village.township))
    return locked


@transaction.atomic
def venue_update(
    *,
    venue: CultureVenue,
    version: int | None,
    village: Village,
    name: str,
    kind: str,
    address: str,
    opened_on: date,
    description: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    acting_user: User,
) -> CultureVenue:
    """The venue's facts change (it may move to another village of the same township)."""
    venue = _locked(venue, acting_user)
    venue_check_version(venue, version)
    _check(village, venue.village.township, latitude, longitude)
    versioned_change(
        venue,
        acting_user,
        village=village,
        name=name.strip(),
        kind=kind,
        address=address.strip(),
        opened_on=opened_on,
        description=description.strip(),
        latitude=latitude,
        longitude=longitude,
    )
    _announce()
    return venue


@transaction.atomic
def venue_remove(*, venue: CultureVenue, version: int | None, acting_user: User) -> None:
    """The venue leaves the register (it is gone, or was recorded by mistake); its photos with it. The
    history rows keep both in the audit log."""
    venue = _locked(venue, acting_user)
    venue_check_version(venue, version)
    for photo in venue.photos.all():
        photo._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
        photo.delete()
    venue._history_user = acting_user  # type: ignore[attr-defined]
    venue.delete()
    _announce()


@transaction.atomic
def venue_photos_add(
    *, venue: CultureVenue, uploads: Iterable["UploadedFile[bytes]"], acting_user: User
) -> list[VenuePhoto]:
    """More photos of the venue (they change none of its facts, so no version is asked)."""
    venue = _locked(venue, acting_user)
    stored = _store_photos(venue, uploads, acting_user)
    _announce()
    return stored


@transaction.atomic
def venue_photo_remove(*, photo: VenuePhoto, acting_user: User) -> None:
    venue = _locked(photo.venue, acting_user)
    photo = VenuePhoto.objects.get(pk=photo.pk, venue=venue)
    photo._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history
    photo.delete()
    _announce()
