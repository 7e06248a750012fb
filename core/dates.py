"""Dates as the commission counts them."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The dates a form accepts. The legal clocks and 同比 add to and take from a date, and Python's dates end at
# the years 1 and 9999: a date near either end overflows. Nothing the commission records is that far off.
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
# The years a page can be asked for: the index, the stars and the reports all began after 2000.
YEARS = range(2000, 2101)


def same_day_last_year(day: date) -> date:
    """The same day a year earlier, for 同比 (1 January to the same day); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def validate_in_range(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST, "latest": LATEST},
        )


class DateInRangeField(forms.DateField):
    """A form's date, refused (a form error) outside EARLIEST to LATEST."""

    default_validators = [validate_in_range]


# The date box of every form: the browser's date picker, in the format it posts.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def dates_in_range(db_field: "models.Field[Any, Any]", **kwargs: Any) -> forms.Field | None:
    """A ModelForm's Meta.formfield_callback: its dates are DateInRangeFields, with the date picker."""
    if type(db_field) is models.DateField:  # not a DateTimeField, its subclass
        kwargs = {"form_class": DateInRangeField, "widget": DATE_INPUT, **kwargs}
    return db_field.formfield(**kwargs)
