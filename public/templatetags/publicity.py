from datetime import date

from django import template

from public.publicity import note_publicity_end

register = template.Library()


@register.simple_tag(takes_context=True)
def publicity_period(context: template.Context, last_day: date | None) -> str:
    """Notes on the request that the page announces a publicity period ending with `last_day`, so that
    the page cache does not keep it past then (public.publicity). Renders nothing."""
    request = context.get("request")
    if request is not None and last_day is not None:
        note_publicity_end(request, last_day)
    return ""
