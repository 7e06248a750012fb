from django.core.checks import Warning, register
from django.utils import timezone

from .calendar import year_is_known


@register()
def calendar_knows_this_year(app_configs, **kwargs):
    """The legal clocks need this year's holidays and make-up working days (调休)."""
    year = timezone.localdate().year
    if year_is_known(year):
        return []
    return [
        Warning(
            f"The chinesecalendar package does not know {year}: petition deadlines count Monday to Friday "
            "until the system administrator enters the year's holidays and 调休 days as working-day overrides "
            "(or chinesecalendar is upgraded).",
            hint="Admin → Working-day overrides: enter the State Council's holidays and 调休 days of the year.",
            id="petitions.W001",
        )
    ]
