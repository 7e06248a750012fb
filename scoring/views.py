from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts.access import role_required
from accounts.roles import INDEX_ROLES
from audit.models import EventType
from audit.services import record_event
from core import params
from core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes
from villages.selectors import get_village_for, townships_for

from . import selectors
from .filters import ResultFilter
from .models import Period, Round


def published_round_for(request: HttpRequest) -> Round:
    """The published round the page shows: `?period=` or the latest; 404 when nothing is published."""
    code = params.text(request.GET.get("period"))
    if code:
        round_ = selectors.published_round(get_object_or_404(Period, code=code))
    else:
        round_ = selectors.latest_published_round()
    if round_ is None:
        raise Http404
    return round_


def _result_filter(request: HttpRequest, round_: Round) -> ResultFilter:
    return ResultFilter(
        request.GET or None,
        queryset=selectors.results_for(request.user, round_),
        townships=townships_for(request.user),
    )


@role_required(*INDEX_ROLES)
def result_list(request: HttpRequest) -> HttpResponse:
    """The colour-coded list of villages (green A, yellow B, red C), in the user's scope."""
    round_ = published_round_for(request)
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
        "periods": selectors.published_periods(),
    }
    return render(request, "scoring/result_list.html", context)


@role_required(*INDEX_ROLES)
def result_export(request: HttpRequest) -> HttpResponse:
    round_ = published_round_for(request)
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
    response["Content-Disposition"] = f'attachment; filename="results-{round_.period.code}.xlsx"'
    return response


@role_required(*INDEX_ROLES)
def checkup_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """体检单: where a village lost points, against its township, the district and the last period."""
    village = get_village_for(request.user, code)
    round_ = published_round_for(request)
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
