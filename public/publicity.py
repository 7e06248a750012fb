"""How long a public page may be kept: its normal time, but never past the end of the publicity period
(公示期) it announces. The index and village pages say "公示中，截止 …" with the objection form's link while
the period is open; a page cached a minute before its last day ends must not keep saying so (nor keep
offering the form, which then refuses) for the rest of its cache time.

The banner's template notes on the request when the period it shows ends (templatetags.publicity); the
page cache (public.views.cached) then keeps the page only until then, and browsers no longer than what is
left of that. No query is made for it: the page already read the round."""

import math
import time
from datetime import date, datetime, timedelta
from datetime import time as day_start

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import parse_http_date_safe

ENDS_AT = "publicity_ends_at"  # the request's attribute: when the first period its page announces ends


def end_of_day(day: date) -> datetime:
    """The end of a period's last day where the commission is (settings.TIME_ZONE, Asia/Shanghai)."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), day_start.min), timezone.get_default_timezone()
    )


def note_publicity_end(request: HttpRequest, last_day: date) -> None:
    """The page being rendered announces a publicity period whose last day is `last_day`."""
    ends_at = end_of_day(last_day)
    known: datetime | None = getattr(request, ENDS_AT, None)
    if known is None or ends_at < known:
        setattr(request, ENDS_AT, ends_at)


def page_seconds(request: HttpRequest, longest: int) -> int:
    """Seconds the page just rendered may be kept: `longest`, or fewer so that it expires when the period
    it announces ends (at least one: the period ends within that second)."""
    ends_at: datetime | None = getattr(request, ENDS_AT, None)
    if ends_at is None:
        return longest
    return max(1, min(longest, math.ceil((ends_at - timezone.now()).total_seconds())))


def seconds_left(response: HttpResponse, longest: int) -> int:
    """What is left of a cached page's time (its Expires header, set when it was stored), at most `longest`."""
    expires = parse_http_date_safe(response.get("Expires", ""))
    if expires is None:
        return longest
    return max(0, min(longest, math.ceil(expires - time.time())))
