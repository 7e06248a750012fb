"""The public summary of 五有一化: the major decisions townships report as made public, per county and
year: what, when, how much, where it was made public and its summary. Never the minutes, the review or
who reported it (decisions.selectors.PUBLIC_FIELDS)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import public
from core.params import year_in_path

from . import selectors


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "decisions/public_index.html", {"counties": selectors.public_years()})


@public
def county(request: HttpRequest, county: str, year: int) -> HttpResponse:
    district = selectors.get_public_county(county)
    year = year_in_path(year)
    context = {"county": district, "year": year, "rows": selectors.public_summary(district, year)}
    return render(request, "decisions/public_county.html", context)
