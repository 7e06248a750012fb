"""The public index (DESIGN.md section 8): published rounds only, cached whole, readable on a phone.

These views never touch the session or the user, so their responses are the same for every reader and
can be cached; the cache key carries a generation number that publishing bumps."""

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeVar

import segno
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_max_age, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page

from accounts.access import public
from core import params
from core.publication import public_generation
from culture import venue_selectors
from scoring import open_data
from scoring import selectors as index_selectors
from stars import selectors as star_selectors
from villages.selectors import public_village

from . import selectors
from .charts import grade_shares_svg
from .publicity import page_seconds, seconds_left

if TYPE_CHECKING:
    from scoring.models import OpenDataLicence, Round
    from villages.models import District, Village

PUBLIC_CACHE_SECONDS = 600
BROWSER_CACHE_SECONDS = 120
PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_START = "\ufeff"  # UTF-8 with a BOM so that Excel opens the Chinese text correctly
CSV_TYPE = "text/csv; charset=utf-8"


def cached(view):
    """Cache the whole response under the current publication generation, and let browsers and the
    WeChat proxy keep it briefly."""

    def kept_until_publicity_ends(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The page's max-age, which the page cache keeps it for: never past the publicity period it shows."""
        response = view(request, *args, **kwargs)
        seconds, own = page_seconds(request, PUBLIC_CACHE_SECONDS), get_max_age(response)
        patch_cache_control(response, max_age=seconds if own is None else min(own, seconds))
        return response

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        generation = public_generation()
        if generation is None:  # the shared cache is away: a page of an unknown generation may be stale
            response = kept_until_publicity_ends(request, *args, **kwargs)
        else:
            # No timeout here: one given to cache_page would win over the page's own max-age.
            page = cache_page(None, cache="public_pages", key_prefix=f"public-{generation}")
            response = page(kept_until_publicity_ends)(request, *args, **kwargs)
        if response.status_code == 200:
            browser = min(page_seconds(request, BROWSER_CACHE_SECONDS), seconds_left(response, BROWSER_CACHE_SECONDS))
            response["Cache-Control"] = f"public, max-age={browser}"
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return public(wrapped)


def _round_or_404(period: str | None, district_id: int | None = None) -> "Round":
    round_ = index_selectors.public_round(period, district_id)
    if round_ is None:
        raise Http404
    return round_


# --- Counties: an installation of one county shows its index as it always did; a city's installation
# shows each county's index under its own rules, chosen with ?county=<6-digit code> (a page's address with
# its query string is its cache key, so each county's page is cached apart).


def _chosen_county(request: HttpRequest, counties: "list[District]") -> "District | None":
    """The county `?county=` names among those with a published index; None without it; 404 for a code
    of no such county."""
    code = params.text(request.GET.get("county"))
    if not code:
        return None
    county = next((county for county in counties if county.code == code), None)
    if county is None:
        raise Http404
    return county


def _counties_page(request: HttpRequest, rounds: "list[Round]", period: str | None) -> HttpResponse:
    """每个区县的清廉指数: each county's latest published index (of the period, when given), to choose from."""
    indexes = index_selectors.county_indexes(rounds)
    return render(request, "public/counties.html", {"indexes": indexes, "period": period})


def _of(rounds: "list[Round]", period: str | None, county: "District | None") -> "list[Round]":
    """The published rounds of the period and of the county, when given (latest first, as given)."""
    return [
        round_
        for round_ in rounds
        if (not period or round_.period.code == period) and (county is None or round_.period.district_id == county.pk)
    ]


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
    """The index of one county: the only one, or the one `?county=` names. Without it, with several
    counties, `/` lists each county's latest index; /index/<period>/ the counties that published the
    period (their one index when only one did: an address made before the city joined keeps working)."""
    published = index_selectors.public_rounds()
    counties = index_selectors.public_counties(published)
    county = _chosen_county(request, counties)
    several = len(counties) > 1
    rounds = _of(published, period, county)
    if county is None and several and rounds:
        having = index_selectors.public_counties(rounds)
        if period is None or len(having) > 1:
            return _counties_page(request, rounds, period)
        county = having[0]
    round_ = rounds[0] if rounds else None
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
        "periods": index_selectors.public_periods(round_.period.district_id),
        "township": township,
        "query": query,
        "order": order,
        # With several counties each page names its county and its links keep it.
        "county": county if several else None,
        "licence": open_data.open_data_licence(),
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
    """The village in its county's index of the period (each county grades under its own scheme)."""
    village = public_village(code)
    round_ = _round_or_404(period, village.township.district_id)
    row = _village_row(round_, village)
    context = {
        "round": round_,
        "village": village,
        "row": row,
        "history": index_selectors.public_village_history(village),
        "categories": index_selectors.category_points(round_, village),
        "several_counties": len(index_selectors.public_counties()) > 1,
    }
    return render(request, "public/village.html", context)


@cached
def village_notice(request: HttpRequest, period: str, code: str) -> HttpResponse:
    """An A4 notice for the village notice board (村务公开栏) with a QR code back to the village page."""
    village = public_village(code)
    round_ = _round_or_404(period, village.township.district_id)
    row = _village_row(round_, village)
    url = request.build_absolute_uri(reverse("public:village", args=[round_.period.code, code]))
    qr = segno.make(url, error="m")
    context = {"round": round_, "village": village, "row": row, "url": url, "qr": qr.svg_data_uri(scale=6, border=2)}
    return render(request, "public/notice.html", context)


@cached
def methodology(request: HttpRequest) -> HttpResponse:
    schemes = index_selectors.published_schemes()
    several = len(index_selectors.public_counties()) > 1
    context = {"schemes": schemes, "several_counties": several, "licence": open_data.open_data_licence()}
    return render(request, "public/methodology.html", context)


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


def _open_data_rows(request: HttpRequest, period: str) -> tuple[list[selectors.PublicRow], str]:
    """The rows of the period's published index and the file's name: of the county `?county=` names, or
    of every county that published the period (each county's villages ranked in their county, counties in
    code order); 404 when none did."""
    published = index_selectors.public_rounds()
    counties = index_selectors.public_counties(published)
    county = _chosen_county(request, counties)
    rounds = [index.round for index in index_selectors.county_indexes(_of(published, period, county), counts=False)]
    if not rounds:
        raise Http404
    rows = [row for round_ in rounds for row in selectors.public_rows(round_)]
    return rows, f"lianjie-{county.code}-{period}" if county else f"lianjie-{period}"


@cached
def open_data_csv(request: HttpRequest, period: str) -> HttpResponse:
    rows, name = _open_data_rows(request, period)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(selectors.PublicRow.OPEN_DATA_FIELDS)
    for row in rows:
        writer.writerow([_open_data_value(getattr(row, name)) for name in selectors.PublicRow.OPEN_DATA_FIELDS])
    response = HttpResponse(CSV_START + buffer.getvalue(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return _licensed(response)


@cached
def open_data_json(request: HttpRequest, period: str) -> HttpResponse:
    rows, _name = _open_data_rows(request, period)
    data = [
        {
            name: (str(value) if name in ("total", "change") and value is not None else value)
            for name in selectors.PublicRow.OPEN_DATA_FIELDS
            for value in [getattr(row, name)]
        }
        for row in rows
    ]
    # A list, as the contract has always had it: its licence is in the Link header.
    return _licensed(JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False}))


# --- The bulk file: every published period in one file, streamed row by row. Django's page cache never
# stores a streamed response (it would have to hold it whole), so browsers and proxies cache it (`cached`
# sets Cache-Control) and the server writes it from chunks of rows read as they go out.


def _bulk_file(request: HttpRequest) -> tuple[open_data.BulkFile, str]:
    """Every published period of the county `?county=` names, or of every county; and the file's name."""
    published = index_selectors.public_rounds()
    county = _chosen_county(request, index_selectors.public_counties(published))
    bulk = open_data.bulk_file(_of(published, None, county))
    return bulk, f"lianjie-{county.code}-all" if county else "lianjie-all"


class _Line:
    """A file for csv.writer that hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


@cached
def open_data_all_csv(request: HttpRequest) -> StreamingHttpResponse:
    """All published periods, one row per village and period, with its points per category."""
    bulk, name = _bulk_file(request)
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield CSV_START + writer.writerow(
            [_open_data_value(name) for name in (*open_data.BULK_FIELDS, *bulk.categories)]
        )
        for row in bulk.rows:
            values = [getattr(row, field) for field in open_data.BULK_FIELDS] + list(row.categories)
            yield writer.writerow([_open_data_value(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}.csv"'
    return _licensed(response)


def _json_number(value) -> str | None:
    # Points as strings, as the period's JSON has them: a float would not keep the two decimals exactly.
    return None if value is None else str(value)


@cached
def open_data_all_json(request: HttpRequest) -> StreamingHttpResponse:
    """The bulk file as one JSON object: its licence, the category names and the rows."""
    bulk, _name = _bulk_file(request)
    licence = open_data.open_data_licence()
    numbers = {"total", "change", "bonus"}

    def parts() -> Iterator[str]:
        head = {"license": licence.name, "license_url": licence.url, "categories": bulk.categories}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": ['
        for i, row in enumerate(bulk.rows):
            data = {
                field: _json_number(getattr(row, field)) if field in numbers else getattr(row, field)
                for field in open_data.BULK_FIELDS
            }
            data["categories"] = dict(zip(bulk.categories, map(_json_number, row.categories), strict=True))
            yield ("," if i else "") + json.dumps(data, ensure_ascii=False)
        yield "]}"

    return _licensed(StreamingHttpResponse(parts(), content_type="application/json"), licence)


Response = TypeVar("Response", HttpResponse, StreamingHttpResponse)


def _licensed(response: Response, licence: "OpenDataLicence | None" = None) -> Response:
    """The open licence of the file, as a Link header (RFC 8288): a CSV has no standard place for it."""
    licence = licence or open_data.open_data_licence()
    response["Link"] = f'<{licence.url}>; rel="license"'
    return response


def _stars(request: HttpRequest, year: int | None) -> HttpResponse:
    criteria = star_selectors.public_star_year(year)  # the year, its publicity period, each county's pilot
    if criteria is None:
        raise Http404
    ratings = star_selectors.public_star_list(criteria.year)
    township, page = _township_page(request, ratings)
    context = {
        "criteria": criteria,
        "page": page,
        "townships": selectors.rated_townships(ratings),
        "township": township,
        "years": criteria.years,
    }
    return render(request, "public/stars.html", context)


@cached
def subject_ratings(request: HttpRequest, year: int) -> HttpResponse:
    """勤廉双优示范乡镇 and 群众满意基层站所 of the year, decided on the stars' engine: those in publicity
    marked with its end, so that anyone may object."""
    ratings = star_selectors.public_subject_ratings(year)
    townships = [rating for rating in ratings if rating.subject == "township"]
    stations = [rating for rating in ratings if rating.subject == "station"]
    return render(request, "public/subject_ratings.html", {"year": year, "townships": townships, "stations": stations})


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


# --- 清廉文化阵地: every registered venue is public, with its photos (the register lists places, nothing
# about a person). The page is cached like the others: the venue services bump the publication generation
# when a venue or a photo is recorded, changed or removed, so a change shows at once.


@cached
def township_venues(request: HttpRequest, township_code: str) -> HttpResponse:
    """The clean-culture venues of a township's villages, with their photos."""
    township = venue_selectors.public_township(township_code)
    context = {"township": township, "venues": venue_selectors.public_venues(township)}
    return render(request, "public/township_venues.html", context)


@public
def venue_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of a registered venue (a JPEG or PNG picture only), shown in the page: not audited (it is
    published), never guessed at by the browser, never run as a page, kept briefly by browsers."""
    photo = venue_selectors.public_photo(pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={BROWSER_CACHE_SECONDS}"
    return response
