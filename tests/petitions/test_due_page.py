"""The deadlines page: each open case's next legal deadline with the working days it is overdue or has
left, on China's calendar (国庆 2025: 1–8 October off, Sunday 28 September and Saturday 11 October
worked), the most overdue first, then the nearest deadline."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.calendar import working_days_between
from petitions.models import WorkingDayOverride
from petitions.selectors import due_lists

from ..petition_helpers import register

TODAY = date(2025, 10, 9)  # Thursday, the first working day after 国庆


@pytest.fixture
def clocks(cast):
    """Registered cases by the day their acceptance (5 working days after receipt) is due."""
    received = {
        "早已超期": date(2025, 9, 15),  # accept by 22 September
        "节前到期": date(2025, 9, 23),  # accept by 29 September: 10 calendar days ago, 2 working days
        "今日到期": date(2025, 9, 25),  # accept by 9 October
        "明日到期": date(2025, 9, 26),  # accept by 10 October
        "周六到期": date(2025, 9, 28),  # accept by Saturday 11 October, a make-up working day
        "尚早": date(2025, 9, 30),  # accept by 14 October: beyond the 3 working days of "due soon" (to 13 October)
    }
    return {summary: register(cast, received_on=day, summary=summary) for summary, day in received.items()}


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 9, 29), date(2025, 10, 9), 2),  # 30 September, 9 October: 国庆 in between
        (date(2025, 9, 22), date(2025, 10, 9), 8),  # Sunday 28 September counts, 1–8 October do not
        (date(2025, 10, 9), date(2025, 10, 11), 2),  # Saturday 11 October is worked
        (date(2025, 10, 9), date(2025, 10, 9), 0),
        (date(2025, 10, 9), date(2025, 10, 1), 0),
    ],
)
def test_working_days_between_follow_the_official_calendar(db, start, end, expected):
    assert working_days_between(start, end) == expected


def test_a_local_override_counts_too(db):
    WorkingDayOverride.objects.create(day=date(2025, 10, 8), working=True, note="本地调整")
    assert working_days_between(date(2025, 9, 29), date(2025, 10, 9)) == 3


def test_the_most_overdue_come_first_then_the_nearest_deadline(cast, clocks):
    due_soon, overdue, _past_target = due_lists(cast.users["petition"], TODAY)
    assert [(case.petition.summary, case.due, case.working_days) for case in overdue] == [
        ("早已超期", date(2025, 9, 22), 8),
        ("节前到期", date(2025, 9, 29), 2),
    ]
    assert [(case.petition.summary, case.due, case.working_days) for case in due_soon] == [
        ("今日到期", date(2025, 10, 9), 0),
        ("明日到期", date(2025, 10, 10), 1),
        ("周六到期", date(2025, 10, 11), 2),
    ]


def test_the_page_shows_each_deadline_and_its_working_days_in_that_order(
    cast, clocks, client_for, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    officer = client_for("petition")
    with django_assert_max_num_queries(10):
        page = officer.get(reverse("petitions:due"))
    html = page.content.decode()
    lines = [
        ("早已超期", "2025-09-22", "逾期 8 个工作日"),
        ("节前到期", "2025-09-29", "逾期 2 个工作日"),
        ("今日到期", "2025-10-09", "今日到期"),
        ("明日到期", "2025-10-10", "还剩 1 个工作日"),
        ("周六到期", "2025-10-11", "还剩 2 个工作日"),
    ]
    positions = []
    for summary, due, figure in lines:
        case = clocks[summary]
        row = html.split(f'<a href="{reverse("petitions:petition", args=[case.pk])}">信访件 {case.pk}</a>', 1)[1]
        row = row.split("</tr>", 1)[0]
        assert f'<td data-label="法定期限">{due}</td>' in row
        assert figure in row
        positions.append(html.index(f"信访件 {case.pk}</a>"))
    assert positions == sorted(positions)
    assert f"信访件 {clocks['尚早'].pk}</a>" not in html
    assert '已超期 <span class="muted">(2)</span>' in html and '即将到期 <span class="muted">(3)</span>' in html
