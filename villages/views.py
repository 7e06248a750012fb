from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import User
from accounts.roles import ORGANISATION_ROLES, Role
from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from core.versioning import form_save

from .filters import StationFilter, VillageFilter
from .forms import StationActiveForm, StationForm
from .models import Station, Township
from .resources import VillageResource
from .selectors import (
    get_station_for,
    get_village_for,
    station_counts_per_kind,
    stations_for,
    townships_for,
    villages_for,
)
from .services import manages_stations, station_save, station_set_active

# Who may open the register's forms; which townships each keeps is services.manages_stations.
STATION_KEEPERS = (Role.COMMISSION_STAFF, Role.SYSTEM_ADMIN)
STATIONS_PER_PAGE = 50


def _village_filter(request: HttpRequest) -> VillageFilter:
    user = request.user
    return VillageFilter(request.GET or None, queryset=villages_for(user), townships=townships_for(user))


@role_required(*ORGANISATION_ROLES)
def village_list(request: HttpRequest) -> HttpResponse:
    village_filter = _village_filter(request)
    page = Paginator(village_filter.qs, 50).get_page(request.GET.get("page"))
    return render(request, "villages/village_list.html", {"filter": village_filter, "page": page})


@role_required(*ORGANISATION_ROLES)
def village_detail(request: HttpRequest, code: str) -> HttpResponse:
    village = get_village_for(request.user, code)
    return render(request, "villages/village_detail.html", {"village": village})


@role_required(*ORGANISATION_ROLES)
def village_export(request: HttpRequest) -> HttpResponse:
    """The organisation tree as xlsx, in the user's scope; formula-like text is escaped."""
    dataset = VillageResource().export(queryset=_village_filter(request).qs)
    record_event(
        EventType.EXPORTED,
        request=request,
        target_type="villages.Village",
        data={"rows": len(dataset), "format": "xlsx"},
    )
    response = HttpResponse(xlsx_bytes(dataset.headers, dataset, title="villages"), content_type=XLSX_CONTENT_TYPE)
    filename = f"villages-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Grassroots stations (基层站所) ------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every page here requires sign-in


@role_required(*ORGANISATION_ROLES)
def station_list(request: HttpRequest) -> HttpResponse:
    """The stations the user sees, filtered by township, kind and status, with how many there are of each
    kind (whatever kind is chosen); those who keep a township's stations add, change and deactivate there."""
    user = _user(request)
    townships = townships_for(user)
    station_filter = StationFilter(request.GET or None, queryset=stations_for(user), townships=townships)
    without_kind = request.GET.copy()
    without_kind.pop("kind", None)
    per_kind = StationFilter(without_kind or None, queryset=stations_for(user), townships=townships)
    page = Paginator(station_filter.qs, STATIONS_PER_PAGE).get_page(request.GET.get("page"))
    kept = (
        [township for township in townships if manages_stations(user, township)]
        if user.has_role(*STATION_KEEPERS)
        else []
    )
    context = {
        "filter": station_filter,
        "page": page,
        "counts": station_counts_per_kind(per_kind.qs),
        "kept_townships": kept,
        "kept_ids": {township.pk for township in kept},
    }
    return render(request, "villages/station_list.html", context)


def _kept_township(user: User, code: str) -> Township:
    """A township whose stations the user keeps; 404 for another county's (and a missing one)."""
    township = get_object_or_404(townships_for(user), code=code)
    if not manages_stations(user, township):
        raise Http404
    return township


def _kept_station(user: User, pk: int) -> Station:
    station = get_station_for(user, pk)
    if not manages_stations(user, station.township):
        raise Http404
    return station


def _station_form_page(
    request: HttpRequest, form: StationForm, township: Township, station: Station | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "township": township, "station": station}
    return render(request, "villages/station_form.html", context, status=status)


def _back_to_list(township: Township) -> HttpResponse:
    return redirect(f"{reverse('villages:stations')}?township={township.pk}")


@role_required(*STATION_KEEPERS)
def station_new(request: HttpRequest, township_code: str) -> HttpResponse:
    user = _user(request)
    township = _kept_township(user, township_code)
    form = StationForm(request.POST or None)
    if request.method != "POST":
        return _station_form_page(request, form, township, None)
    status = form_save(form, save=lambda: station_save(township=township, acting_user=user, **form.cleaned_data))
    if status is None:
        messages.success(request, _("The station is registered."))
        return _back_to_list(township)
    return _station_form_page(request, form, township, None, status=status)


@role_required(*STATION_KEEPERS)
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    station = _kept_station(user, pk)
    form = StationForm(request.POST or None, station=station)
    if request.method != "POST":
        return _station_form_page(request, form, station.township, station)
    status = form_save(form, save=lambda: station_save(station=station, acting_user=user, **form.cleaned_data))
    if status is None:
        messages.success(request, _("Saved."))
        return _back_to_list(station.township)
    return _station_form_page(request, form, station.township, station, status=status)


@require_POST
@role_required(*STATION_KEEPERS)
def station_active(request: HttpRequest, pk: int) -> HttpResponse:
    """The station made inactive, or active again (a station is never deleted: its ratings rest on it)."""
    user = _user(request)
    station = _kept_station(user, pk)
    form = StationActiveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    station = station_set_active(station=station, active=form.cleaned_data["active"], acting_user=user)
    if station.active:
        messages.success(request, _("%(station)s is active again.") % {"station": station.name})
    else:
        messages.success(request, _("%(station)s is made inactive.") % {"station": station.name})
    return _back_to_list(station.township)
