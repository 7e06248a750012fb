"""China's working days (工作日) for the legal clocks of petitions: weekends and public holidays off,
make-up working days (调休) on, as published by the State Council. The `chinesecalendar` package knows
the years it was released for; the local table WorkingDayOverride (edited by the system administrator)
corrects it and covers the years it does not know yet, where Monday to Friday count until the table
says otherwise."""

from datetime import date, timedelta

import chinese_calendar

from .models import WorkingDayOverride


def year_is_known(year: int) -> bool:
    """Whether the package has the official calendar of `year` (the override table may still add to it)."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _package_says(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = dict(WorkingDayOverride.objects.filter(day=day).values_list("day", "working"))
    return overrides[day] if day in overrides else _package_says(day)


def overrides_between(first: date, last: date) -> dict[date, bool]:
    """The override table's days from `first` to `last`, in one query, for is_working_day."""
    return dict(WorkingDayOverride.objects.filter(day__range=(first, last)).values_list("day", "working"))


def working_days_between(start: date, end: date, overrides: dict[date, bool] | None = None) -> int:
    """The working days after `start` up to and including `end`, 0 when `end` is not after `start`: how
    many working days a case is past its deadline (`start`) today (`end`), or has left before it.
    `overrides`: overrides_between() covering the days, when many cases are counted at once."""
    if end <= start:
        return 0
    if overrides is None:
        overrides = overrides_between(start, end)
    days = (start + timedelta(days=offset) for offset in range(1, (end - start).days + 1))
    return sum(1 for day in days if is_working_day(day, overrides))


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself not counted); `start` when `days` is 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    # Every override that could matter, in one query: a generous window for holidays on the way.
    window_end = start + timedelta(days=days * 2 + 40)
    overrides = dict(
        WorkingDayOverride.objects.filter(day__gt=start, day__lte=window_end).values_list("day", "working")
    )
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day > window_end:
            overrides.update(WorkingDayOverride.objects.filter(day=day).values_list("day", "working"))
        if is_working_day(day, overrides):
            counted += 1
    return day
