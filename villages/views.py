from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import role_required
from accounts.roles import ORGANISATION_ROLES
from audit.models import EventType
from audit.services import record_event
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes

from .filters import VillageFilter
from .resources import VillageResource
from .selectors import get_village_for, townships_for, villages_for


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
