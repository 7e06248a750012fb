"""The commission's inspection figures for a date range, with 同比 against the same dates of the year
before, equal to values computed by hand — including a range ending on a leap day and one across a
year boundary."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from core.dates import same_day_last_year
from inspections import services
from inspections.models import PersonHandled
from inspections.selectors import figures

from ..factories import VillageFactory
from ..inspection_helpers import closed, finding, inspection


def person(cast, round_, decided_on, handling, *, case_filed=False, village=None):
    return services.person_record(
        round_=round_,
        acting_user=cast.users["staff"],
        village=village or cast.village_a,
        name="张三",
        post="村报账员",
        handling=handling,
        case_filed=case_filed,
        decided_on=decided_on,
    )


def lead(cast, round_, handed_on):
    return services.lead_record(
        round_=round_,
        acting_user=cast.users["staff"],
        village=cast.village_a,
        summary="线索",
        handed_to="审查室",
        handed_on=handed_on,
    )


def by_key(result):
    return {figure.key: figure for figure in result}


def test_same_day_last_year_moves_the_leap_day_to_28_february():
    assert same_day_last_year(date(2024, 2, 29)) == date(2023, 2, 28)
    assert same_day_last_year(date(2025, 1, 15)) == date(2024, 1, 15)


def test_figures_to_a_leap_day_against_the_year_before(cast):
    other = VillageFactory(township=cast.township_a)
    now = inspection(cast, starts_on=date(2024, 2, 29), villages=[cast.village_a, other])
    before = inspection(cast, starts_on=date(2023, 2, 28), villages=[cast.village_a])
    outside = inspection(cast, starts_on=date(2023, 3, 1), villages=[other])

    on_time = finding(cast, now, found_on=date(2024, 2, 29))
    late = finding(cast, now, found_on=date(2024, 2, 29), due_on=date(2024, 3, 5))
    finding(cast, now, village=other, found_on=date(2024, 2, 29))
    closed(cast, on_time, on=date(2024, 3, 10))
    closed(cast, late, on=date(2024, 3, 10))
    closed(cast, finding(cast, before, found_on=date(2023, 2, 28)), on=date(2023, 3, 20))
    finding(cast, before, found_on=date(2023, 2, 28))
    finding(cast, outside, village=other, found_on=date(2023, 3, 1))

    person(cast, now, date(2024, 2, 29), PersonHandled.Handling.PARTY_SANCTION, case_filed=True)
    person(cast, now, date(2024, 2, 29), PersonHandled.Handling.TALK)
    person(cast, before, date(2023, 2, 28), PersonHandled.Handling.GOVERNMENT_SANCTION)
    person(cast, outside, date(2023, 3, 1), PersonHandled.Handling.PARTY_SANCTION)
    lead(cast, now, date(2024, 2, 10))
    lead(cast, before, date(2023, 1, 5))
    lead(cast, before, date(2023, 2, 1))

    result = by_key(figures(date(2024, 1, 1), date(2024, 2, 29)))
    expected = {
        # key: (this period, same period last year, 同比)
        "villages": (2, 1, Decimal("100.0")),
        "findings": (3, 2, Decimal("50.0")),
        "leads": (1, 2, Decimal("-50.0")),
        "persons": (2, 1, Decimal("100.0")),
        "sanctions": (1, 1, Decimal("0.0")),
        "cases": (1, 0, None),  # nothing last year: no percentage
        "rectification_rate": (Decimal("66.7"), Decimal("50.0"), Decimal("16.7")),  # points
        "on_time_rate": (Decimal("50.0"), Decimal("100.0"), Decimal("-50.0")),
    }
    assert {key: (f.value, f.previous, f.change) for key, f in result.items()} == expected


def test_figures_across_a_year_boundary_and_by_township(cast):
    round_ = inspection(cast, starts_on=date(2023, 12, 20), villages=[cast.village_a, cast.village_b])
    finding(cast, round_, found_on=date(2024, 12, 20))
    finding(cast, round_, found_on=date(2025, 1, 10))
    finding(cast, round_, village=cast.village_b, owner="secretary_b", found_on=date(2025, 1, 12))
    finding(cast, round_, found_on=date(2024, 1, 15))  # the last day of last year's range
    finding(cast, round_, found_on=date(2024, 1, 16))  # one day after it
    district = by_key(figures(date(2024, 12, 15), date(2025, 1, 15)))
    assert (district["findings"].value, district["findings"].previous) == (3, 1)
    assert district["findings"].change == Decimal("200.0")
    township = by_key(figures(date(2024, 12, 15), date(2025, 1, 15), cast.township_a))
    assert (township["findings"].value, township["findings"].previous, township["findings"].change) == (
        2,
        1,
        Decimal("100.0"),
    )
    assert (district["villages"].value, district["villages"].previous) == (0, 2)  # it began on 2023-12-20


def test_the_figures_page_shows_the_secretary_only_the_own_township(cast, client_for):
    round_ = inspection(cast, starts_on=date(2025, 3, 1), villages=[cast.village_a, cast.village_b])
    finding(cast, round_, found_on=date(2025, 3, 2))
    finding(cast, round_, village=cast.village_b, owner="secretary_b", found_on=date(2025, 3, 2))
    page = client_for("secretary_b").get(reverse("inspections:figures"), {"start": "2025-01-01", "end": "2025-12-31"})
    rows = {figure.key: figure.value for figure in page.context["figures"]}
    assert rows["findings"] == 1 and "路南街道" in page.content.decode()
