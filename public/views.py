"""The public index (DESIGN.md section 8): published rounds only, cached whole, readable on a phone.

These views never touch the session or the user, so their responses are the same for every reader and
can be cached; the cache key carries a generation number that publishing bumps."""

import csv
import io
from typing import TYPE_CHECKING

import segno
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from accounts.access import public
from core import params
from core.publication import public_generation
from scoring import selectors as index_selectors
from stars import selectors as star_selectors
from villages.selectors import public_village

from . import selectors
from .charts import grade_shares_svg

if TYPE_CHECKING:
    from scoring.models import Round
    from villages.models import Village

PUBLIC_CACHE_SECONDS = 600
BROWSER_CACHE_SECONDS = 120
PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cached(view):
    """Cache the whole response under the current publication generation, and let browsers and the
    WeChat proxy keep it briefly."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        generation = public_generation()
        if generation is None:  # the shared cache is away: a page of an unknown generation may be stale
            response = view(request, *args, **kwargs)
        else:
            page = cache_page(PUBLIC_CACHE_SECONDS, cache="public_pages", key_prefix=f"public-{generation}")
            response = page(view)(request, *args, **kwargs)
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={BROWSER_CACHE_SECONDS}"
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return public(wrapped)


def _round_or_404(period: str | None) -> "Round":
    round_ = index_selectors.public_round(period)
    if round_ is None:
        raise Http404
    return round_


ORDERINGS = {
    "rank": ("district_rank", "village__code"),
    "total": ("-total", "village__code"),
    "code": ("village__code",),
}


def _filtered(round_: "Round", query: str, order: str):
    """The round's results for the page, searched and sorted in SQL so that only one page is loaded."""
    results = index_selectors.public_results(round_)
    if query:
        results = results.filter(Q(village__name__contains=query) | Q(village__code__startswith=query))
    return results.order_by(*ORDERINGS.get(order, ORDERINGS["rank"]))


def _township_page(request: HttpRequest, rows: QuerySet) -> tuple[str, Page]:
    """The township the reader picked (`t`) and the page (`page`) of `rows` in it: the index and the stars
    page list villages alike. Filtered in SQL and counted once, so that only one page of rows is loaded."""
    township = params.text(request.GET.get("t"))
    if township:
        rows = rows.filter(village__township__code=township)
    return township, Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _index(request: HttpRequest, period: str | None) -> HttpResponse:
    round_ = index_selectors.public_round(period)
    if round_ is None:
        if period:
            raise Http404
        return render(request, "public/no_index.html")
    shares = index_selectors.township_shares(round_)
    counts = index_selectors.TownshipShares.whole(shares).counts
    query, order = params.text(request.GET.get("q")), request.GET.get("o", "rank")
    township, page = _township_page(request, _filtered(round_, query, order))
    page.object_list = selectors.public_rows(round_, page.object_list)
    context = {
        "round": round_,
        "shares": shares,
        "chart": grade_shares_svg(shares, _("Share of villages per grade in each township")),
        "counts": counts,
        "total": sum(line.total for line in shares),
        "page": page,
        "periods": index_selectors.public_periods(),
        "township": township,
        "query": query,
        "order": order,
    }
    return render(request, "public/index.html", context)


@cached
def index_latest(request: HttpRequest) -> HttpResponse:
    return _index(request, None)


@cached
def index_period(request: HttpRequest, period: str) -> HttpResponse:
    return _index(request, period)


def _village_row(round_: "Round", village: "Village") -> selectors.PublicRow:
    rows = selectors.public_rows(round_, index_selectors.public_results(round_).filter(village=village))
    if not rows:
        raise Http404
    return rows[0]


@cached
def village_page(request: HttpRequest, period: str, code: str) -> HttpResponse:
    round_ = _round_or_404(period)
    village = public_village(code)
    row = _village_row(round_, village)
    context = {
        "round": round_,
        "village": village,
        "row": row,
        "history": index_selectors.public_village_history(village),
        "categories": index_selectors.category_points(round_, village),
    }
    return render(request, "public/village.html", context)


@cached
def village_notice(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """An A4 notice for the village notice board (村务公开栏) with a QR code back to the village page."""
    round_ = _round_or_404(period)
    village = public_village(code)
    row = _village_row(round_, village)
    url = request.build_absolute_uri(reverse("public:village", args=[round_.period.code, code]))
    qr = segno.make(url, error="m")
    context = {"round": round_, "village": village, "row": row, "url": url, "qr": qr.svg_data_uri(scale=6, border=2)}
    return render(request, "public/notice.html", context)


@cached
def methodology(request: HttpRequest) -> HttpResponse:
    schemes = index_selectors.published_schemes()
    return render(request, "public/methodology.html", {"schemes": schemes})


def _open_data_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # Spreadsheets run a cell that starts like a formula: the apostrophe keeps it text.
    return "'" + text if text.startswith(FORMULA_STARTS) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@cached
def open_data_csv(request: HttpRequest, period: str) -> HttpResponse:
    rows = selectors.public_rows(_round_or_404(period))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.PublicRow.OPEN_DATA_FIELDS)
    for row in rows:
        writer.writerow([_open_data_value(getattr(row, name)) for name in selectors.PublicRow.OPEN_DATA_FIELDS])
    # UTF-8 with a BOM so that Excel opens the Chinese text correctly.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="lianjie-{period}.csv"'
    return response


@cached
def open_data_json(request: HttpRequest, period: str) -> HttpResponse:
    rows = selectors.public_rows(_round_or_404(period))
    data = [
        {
            name: (str(value) if name in ("total", "change") and value is not None else value)
            for name in selectors.PublicRow.OPEN_DATA_FIELDS
            for value in [getattr(row, name)]
        }
        for row in rows
    ]
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


def _stars(request: HttpRequest, year: int | None) -> HttpResponse:
    criteria = star_selectors.criteria_for_year(year)
    if criteria is None:
        raise Http404
    ratings = star_selectors.public_star_list(criteria)
    township, page = _township_page(request, ratings)
    context = {
        "criteria": criteria,
        "page": page,
        "townships": selectors.rated_townships(ratings),
        "township": township,
        "years": star_selectors.criteria_years(),
    }
    return render(request, "public/stars.html", context)


@cached
def stars_latest(request: HttpRequest) -> HttpResponse:
    """评星晋级: the latest year's decided levels, those in publicity (公示) marked with its end."""
    return _stars(request, None)


@cached
def stars_year(request: HttpRequest, year: int) -> HttpResponse:
    return _stars(request, year)


@cached
def village_stars(request: HttpRequest, code: str) -> HttpResponse:
    """The village's star history: each year's decided level and any stars stripped, with the reason."""
    village = public_village(code)
    history = star_selectors.public_star_history(village)
    if not history:
        raise Http404
    return render(request, "public/village_stars.html", {"village": village, "history": history})
