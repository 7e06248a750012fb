from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from audit.models import EventType
from audit.services import record_event
from core import params
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from villages.models import District
from villages.selectors import get_village_for, townships_for

from . import selectors
from .filters import ResultFilter
from .models import Period, Round
from .selectors import INDEX_READERS


def county_for(request: HttpRequest) -> int:
    """The id of the county an index page shows: `?county=<code>` among those the user reads (the city's
    roles choose; another county's code is 404), else the user's own (no query); 404 for a user of no
    county."""
    code = params.text(request.GET.get("county"))
    if not code and request.user.county_id is not None:
        return request.user.county_id
    county = selectors.county_to_show(request.user, code)
    if county is None:
        raise Http404
    return county.pk


def published_round_for(request: HttpRequest, district_id: int) -> Round:
    """The county's published round the page shows: `?period=` or the latest; 404 when nothing is
    published."""
    code = params.text(request.GET.get("period"))
    if code:
        round_ = selectors.published_round(get_object_or_404(Period, district_id=district_id, code=code))
    else:
        round_ = selectors.latest_published_round(district_id)
    if round_ is None:
        raise Http404
    return round_


def county_choice(request: HttpRequest, county_id: int) -> dict[str, District | list[District] | None]:
    """The county select of a page, for a user who reads more than one county (the city's roles): the
    counties and the one shown; nothing (and no query) for a county's own people."""
    if request.user.county_id is not None:
        return {"county": None, "counties": []}
    counties = list(selectors.counties_for(request.user))
    county = next((county for county in counties if county.pk == county_id), None)
    return {"county": county, "counties": counties if len(counties) > 1 else []}


def _result_filter(request: HttpRequest, round_: Round) -> ResultFilter:
    return ResultFilter(
        request.GET or None,
        queryset=selectors.results_for(request.user, round_),
        townships=townships_for(request.user).filter(district_id=round_.period.district_id),
    )


@role_required(*INDEX_READERS)
def result_list(request: HttpRequest) -> HttpResponse:
    """The colour-coded list of villages (green A, yellow B, red C), in the user's scope: of one county
    (the city's roles choose which)."""
    county_id = county_for(request)
    round_ = published_round_for(request, county_id)
    result_filter = _result_filter(request, round_)
    results = list(result_filter.qs)
    totals = {result.village_id: result.total for result in results}
    changes = selectors.changes_since_previous(totals, selectors.previous_totals(round_, list(totals)))
    for result in results:
        result.change = changes.get(result.village_id)
    context = {
        "round": round_,
        "filter": result_filter,
        "results": results,
        "counts": selectors.grade_counts(results),
        "periods": selectors.published_periods(county_id),
        **county_choice(request, county_id),
    }
    return render(request, "scoring/result_list.html", context)


@role_required(*INDEX_READERS)
def result_export(request: HttpRequest) -> HttpResponse:
    round_ = published_round_for(request, county_for(request))
    results = _result_filter(request, round_).qs
    headers = [
        _("Village code"),
        _("Village name"),
        _("Township"),
        _("Total"),
        _("Grade"),
        _("Rank in township"),
        _("Rank in district"),
        _("Veto reason"),
    ]
    rows = [
        [
            r.village.code,
            r.village.name,
            r.village.township.name,
            r.total,
            r.grade,
            r.township_rank,
            r.district_rank,
            r.veto_reason,
        ]
        for r in results
    ]
    record_event(
        EventType.EXPORTED,
        request=request,
        target=round_,
        data={"rows": len(rows), "what": "results", "format": "xlsx"},
    )
    response = HttpResponse(xlsx_bytes(headers, rows, title=str(round_.period)), content_type=XLSX_CONTENT_TYPE)
    # A city's reader names the county; a county's own people have one county and the name they know.
    name = round_.period.code if request.user.county_id else f"{round_.period.district.code}-{round_.period.code}"
    response["Content-Disposition"] = f'attachment; filename="results-{name}.xlsx"'
    return response


@role_required(*INDEX_READERS)
def checkup_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """体检单: where a village lost points, against its township, the district and the last period."""
    village = get_village_for(request.user, code)
    round_ = published_round_for(request, village.township.district_id)
    result = selectors.results_for(request.user, round_).filter(village=village).first()
    if result is None:
        raise Http404
    context = {
        "round": round_,
        "village": village,
        "result": result,
        "blocks": selectors.checkup_sheet(round_, village),
    }
    return render(request, "scoring/checkup_sheet.html", context)
