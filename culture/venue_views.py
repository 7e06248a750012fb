"""The 清廉文化阵地 register's pages: the list (per township, per county for the county's people) with the
count per village, its sheet, a venue's form and page, its photos and its removal.

Everyone who reads reads in their scope (another township's or county's venue is 404); a township's
secretary records the own township's venues, the county's staff any of the county's; leaders and the
city's roles read only. Every rule is in culture.venues; a refused save comes back as a form error with
what was typed kept."""

from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import xlsx_bytes, xlsx_response
from core.uploads import evidence_response
from core.versioning import form_save
from villages.models import Township

from . import selectors, venue_selectors, venues
from .models import CultureVenue
from .venue_forms import VenueFilterForm, VenueForm, VenuePhotoForm, VenueRemoveForm

READERS = tuple(selectors.READERS)
RECORDERS = tuple(selectors.RECORDERS)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


@dataclass
class TownshipLine:
    township: Township
    villages: int = 0
    with_venue: int = 0
    venues: int = 0


def _filtered(request: HttpRequest) -> tuple[VenueFilterForm, Township | None]:
    form = VenueFilterForm(request.GET or None, townships=selectors.townships_for(_user(request)))
    township = form.cleaned_data.get("township") if form.is_valid() else None
    return form, township


@role_required(*READERS)
def venue_list(request: HttpRequest) -> HttpResponse:
    """The venues of a township (or of every township the user reads), and how many each village has."""
    user = _user(request)
    form, township = _filtered(request)
    counts = venue_selectors.counts_per_village(user, township)
    townships: dict[int, TownshipLine] = {}
    for line in counts:
        total = townships.setdefault(line.village.township_id, TownshipLine(line.village.township))
        total.villages += 1
        total.with_venue += line.venues > 0
        total.venues += line.venues
    context = {
        "form": form,
        "township": township,
        "venues": venue_selectors.venue_list(user, township),
        "counts": counts,
        "townships": list(townships.values()),
        "query": request.GET.urlencode(),
        "recording": [t for t in selectors.townships_for(user) if venues.records_venues(user, t)]
        if user.has_role(*RECORDERS)
        else [],
    }
    return render(request, "culture/venues.html", context)


def venue_headings() -> list[str]:
    return [
        _("Township"),
        _("Village"),
        _("Name"),
        _("Type"),
        _("Address"),
        _("Opened on"),
        _("Latitude"),
        _("Longitude"),
        _("Photos"),
        _("Description"),
    ]


def venue_row(venue: CultureVenue) -> list[object]:
    return [
        venue.village.township.name,
        venue.village.name,
        venue.name,
        str(venue.get_kind_display()),
        venue.address,
        f"{venue.opened_on:%Y-%m-%d}",
        venue.latitude,
        venue.longitude,
        venue.photo_count,  # type: ignore[attr-defined]  # venue_selectors.venue_list
        venue.description,
    ]


@role_required(*READERS)
def venue_export(request: HttpRequest) -> HttpResponse:
    _form, township = _filtered(request)
    rows = [venue_row(venue) for venue in venue_selectors.venue_list(_user(request), township)]
    record_event(EventType.EXPORTED, request=request, target=township, data={"what": "culture venues"})
    sheet = xlsx_bytes(venue_headings(), rows, title=str(_("Clean-culture venues")))
    return xlsx_response(sheet, f"venues-{township.code}.xlsx" if township else "venues.xlsx")


def _form_page(
    request: HttpRequest, form: VenueForm, township: Township, venue: CultureVenue | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "township": township, "venue": venue}
    return render(request, "culture/venue_form.html", context, status=status)


@role_required(*RECORDERS)
def venue_new(request: HttpRequest, township_code: str) -> HttpResponse:
    """A venue of one of the villages of a township the user records (another township's is 404)."""
    user = _user(request)
    township = selectors.get_township_for(user, township_code)
    form = VenueForm(request.POST or None, request.FILES or None, villages=venue_selectors.villages_of(township))
    if request.method != "POST":
        return _form_page(request, form, township, None)
    made: list[CultureVenue] = []
    status = form_save(
        form,
        save=lambda: made.append(
            venues.venue_record(township=township, photos=form.cleaned_data["photos"], acting_user=user, **form.facts)
        ),
    )
    if status is None:
        messages.success(request, _("The venue is registered."))
        return redirect("culture:venue", pk=made[0].pk)
    return _form_page(request, form, township, None, status=status)


@role_required(*RECORDERS)
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    venue = venue_selectors.get_venue_for(user, pk)
    township = venue.village.township
    form = VenueForm(request.POST or None, villages=venue_selectors.villages_of(township), venue=venue)
    if request.method != "POST":
        return _form_page(request, form, township, venue)
    status = form_save(
        form,
        check=partial(venues.venue_check_version, venue),
        save=lambda: venues.venue_update(
            venue=venue, version=form.cleaned_data["version"], acting_user=user, **form.facts
        ),
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:venue", pk=venue.pk)
    return _form_page(request, form, township, venue, status=status)


def _venue_page(
    request: HttpRequest, venue: CultureVenue, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    records = venues.records_venues(_user(request), venue.village.township)
    context = {
        "venue": venue,
        "photos": venue_selectors.venue_photos(venue),
        "records": records,
        "forms": (
            {"photos": VenuePhotoForm(), "remove": VenueRemoveForm(initial={"version": venue.version}), **(forms or {})}
            if records
            else {}
        ),
    }
    return render(request, "culture/venue.html", context, status=status)


@role_required(*READERS)
def venue(request: HttpRequest, pk: int) -> HttpResponse:
    return _venue_page(request, venue_selectors.get_venue_for(_user(request), pk))


@require_POST
@role_required(*RECORDERS)
def venue_photos(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    venue = venue_selectors.get_venue_for(user, pk)
    form = VenuePhotoForm(request.POST, request.FILES)
    status = form_save(
        form, save=lambda: venues.venue_photos_add(venue=venue, uploads=form.cleaned_data["photos"], acting_user=user)
    )
    if status is None:
        messages.success(request, _("Saved."))
        return redirect("culture:venue", pk=venue.pk)
    return _venue_page(request, venue, {"photos": form}, status=status)


@require_POST
@role_required(*RECORDERS)
def venue_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    venue = venue_selectors.get_venue_for(user, pk)
    form = VenueRemoveForm(request.POST)
    status = form_save(
        form,
        check=partial(venues.venue_check_version, venue),
        save=lambda: venues.venue_remove(venue=venue, version=form.cleaned_data["version"], acting_user=user),
    )
    if status is None:
        messages.success(request, _("The venue is removed from the register."))
        return redirect(f"{reverse('culture:venues')}?township={venue.village.township.code}")
    venue.refresh_from_db()
    return _venue_page(request, venue, {"remove": form}, status=status)


@role_required(*READERS)
def venue_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo is served to those who read its venue (404 otherwise), as a download."""
    return evidence_response(request, get_object_or_404(venue_selectors.venue_photos_for(_user(request)), pk=pk))


@require_POST
@role_required(*RECORDERS)
def venue_photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    photo = get_object_or_404(venue_selectors.venue_photos_for(user), pk=pk)
    venues.venue_photo_remove(photo=photo, acting_user=user)
    messages.success(request, _("The photo is removed."))
    return redirect("culture:venue", pk=photo.venue_id)
