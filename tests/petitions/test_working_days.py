"""add_working_days on China's official calendar: 国庆, 春节, 端午, 元旦 and their make-up working days
(调休, including Saturdays and Sundays), and across a year the package does not know, where the local
override table decides."""

from datetime import date

import pytest

from petitions.calendar import add_working_days, year_is_known
from petitions.models import WorkingDayOverride

D = date
CASES = [
    # start, working days, expected
    (D(2025, 3, 3), 0, D(2025, 3, 3)),
    (D(2025, 3, 3), 5, D(2025, 3, 10)),
    # 2025 春节: 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
    (D(2025, 1, 24), 1, D(2025, 1, 26)),
    (D(2025, 1, 24), 2, D(2025, 1, 27)),
    (D(2025, 1, 24), 3, D(2025, 2, 5)),
    (D(2025, 1, 27), 1, D(2025, 2, 5)),
    (D(2025, 2, 5), 3, D(2025, 2, 8)),
    (D(2025, 2, 7), 2, D(2025, 2, 10)),
    (D(2025, 1, 27), 5, D(2025, 2, 10)),
    # 2025 端午: 31 May – 2 June off.
    (D(2025, 5, 30), 1, D(2025, 6, 3)),
    # 2025 国庆 and 中秋: 1–8 October off; Sunday 28 September and Saturday 11 October worked.
    (D(2025, 9, 26), 1, D(2025, 9, 28)),
    (D(2025, 9, 28), 1, D(2025, 9, 29)),
    (D(2025, 9, 30), 1, D(2025, 10, 9)),
    (D(2025, 9, 30), 2, D(2025, 10, 10)),
    (D(2025, 9, 30), 3, D(2025, 10, 11)),
    (D(2025, 9, 30), 4, D(2025, 10, 13)),
    (D(2025, 10, 1), 5, D(2025, 10, 14)),
    (D(2025, 10, 8), 1, D(2025, 10, 9)),
    (D(2025, 10, 10), 1, D(2025, 10, 11)),
    (D(2025, 10, 11), 1, D(2025, 10, 13)),
    # The legal clocks themselves: accept within 5, tell within 15 working days.
    (D(2025, 9, 26), 5, D(2025, 10, 10)),
    (D(2025, 9, 30), 15, D(2025, 10, 28)),
    # 2026 元旦: 1–3 January off, Sunday 4 January worked.
    (D(2025, 12, 31), 1, D(2026, 1, 4)),
    # 2026 春节: 15–23 February off; Saturdays 14 and 28 February worked.
    (D(2026, 2, 13), 1, D(2026, 2, 14)),
    (D(2026, 2, 13), 2, D(2026, 2, 24)),
    (D(2026, 2, 24), 4, D(2026, 2, 28)),
    (D(2026, 2, 27), 2, D(2026, 3, 2)),
    # 2026 国庆: 1–7 October off; Sunday 20 September and Saturday 10 October worked.
    (D(2026, 9, 19), 1, D(2026, 9, 20)),
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 10, 9), 1, D(2026, 10, 10)),
    (D(2026, 10, 9), 2, D(2026, 10, 12)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "expected"), CASES, ids=[f"{s}+{n}" for s, n, _ in CASES])
def test_add_working_days_follows_the_official_calendar(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.django_db
def test_a_year_the_package_does_not_know_counts_weekdays_until_the_table_says_otherwise():
    assert not year_is_known(2027)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)  # a Friday, counted for now
    WorkingDayOverride.objects.create(day=date(2027, 1, 1), working=False, note="元旦")
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    WorkingDayOverride.objects.create(day=date(2027, 2, 20), working=True, note="春节调休")
    assert add_working_days(date(2027, 2, 19), 1) == date(2027, 2, 20)


@pytest.mark.django_db
def test_the_table_also_corrects_a_known_year():
    WorkingDayOverride.objects.create(day=date(2025, 3, 4), working=False, note="本地停工")
    assert add_working_days(date(2025, 3, 3), 1) == date(2025, 3, 5)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(date(2025, 3, 3), -1)
