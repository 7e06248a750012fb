"""Values a view reads by hand from the query string, each checked here once: a value no page of ours
sends (a year in other digits, a search of 50,000 characters, a NUL) is a 400, never a server error.
Fields of a form or a FilterSet bound to the query string are checked by the form instead."""

from django.core.exceptions import BadRequest
from django.http import Http404

from .dates import YEARS

# Longer than any name, code or phrase anyone searches for; SQLite refuses a LIKE pattern past 50,000.
TEXT_MAX_LENGTH = 100


def year(value: str | None) -> int | None:
    """The year written, in ASCII digits ("²" and "２０２５" are digits to str.isdigit) within YEARS;
    None when none is written."""
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and int(value) in YEARS):
        raise BadRequest("year out of range")
    return int(value)


def text(value: str | None) -> str:
    """Text to search or filter by, stripped: at most TEXT_MAX_LENGTH characters and no NUL (PostgreSQL
    refuses one in any string)."""
    value = (value or "").strip()
    if len(value) > TEXT_MAX_LENGTH or "\x00" in value:
        raise BadRequest("text too long or with a NUL")
    return value


def year_in_path(year: int) -> int:
    """A year written in a page's path (/city/2025/): 404 beyond YEARS (no page for the year 3000)."""
    if year not in YEARS:
        raise Http404
    return year
