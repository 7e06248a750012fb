"""Dates as the commission counts them."""

from datetime import date


def same_day_last_year(day: date) -> date:
    """The same day a year earlier, for 同比 (1 January to the same day); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
