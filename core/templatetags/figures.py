from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def change(value: Decimal | int | float | None, unit: str = "") -> SafeString | str:
    """A change since the last period as every page and report shows it: ↑1.50 (class "up"), ↓2.00
    (class "down"), = for none, — when there was nothing to compare with."""
    if value is None:
        return "—"
    if value > 0:
        return format_html('<span class="up">↑{}{}</span>', value, unit)
    if value < 0:
        return format_html('<span class="down">↓{}{}</span>', -value, unit)
    return "="
