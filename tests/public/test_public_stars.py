"""The public stars list of a year pages and filters by township as the index does (50 villages a page), in
a fixed number of queries, cached whole until a decision changes it."""

from datetime import date

import pytest
from django.urls import reverse

from ..star_helpers import decided, fixed_in_bulk


@pytest.fixture
def rated(cast):
    """62 fixed levels in 2025: 55 villages of township A (1–5 stars in turn), 7 of township B."""
    return fixed_in_bulk(cast, in_a=55, in_b=7)


def stars_page(client, **query):
    return client.get(reverse("public:stars", args=[2025]), query)


def test_the_year_is_listed_fifty_villages_a_page(rated, client):
    first, second = stars_page(client), stars_page(client, page=2)
    assert first.context["page"].paginator.count == 62
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 12
    assert "已评定62个村（社区）。" in first.content.decode()
    assert "第1页，共2页" in first.content.decode() and "第2页，共2页" in second.content.decode()
    shown = [rating.village_id for response in (first, second) for rating in response.context["page"]]
    assert sorted(shown) == sorted(village.pk for village in rated)


def test_a_township_narrows_the_list_and_its_pages(rated, cast, client):
    township_a = cast.township_a.code
    first, second = stars_page(client, t=township_a), stars_page(client, t=township_a, page=2)
    assert first.context["page"].paginator.count == 55
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 5
    assert {rating.village.township_id for rating in first.context["page"]} == {cast.township_a.pk}
    html = first.content.decode()
    assert f'<option value="{township_a}" selected>路桥街道</option>' in html
    assert f'href="?t={township_a}&amp;page=2"' in html  # the next page keeps the township
    other = stars_page(client, t=cast.township_b.code)
    assert other.context["page"].paginator.count == 7 and 'class="pagination"' not in other.content.decode()


def test_the_township_filter_offers_the_townships_with_a_rating(rated, cast, client):
    assert stars_page(client).context["townships"] == [
        {"code": cast.township_a.code, "name": "路桥街道"},
        {"code": cast.township_b.code, "name": "路南街道"},
    ]


def test_an_unknown_township_or_page_lists_nothing_or_the_last_page(rated, client):
    assert stars_page(client, t="999999999").context["page"].paginator.count == 0
    assert stars_page(client, page=9).context["page"].number == 2


def test_the_stars_page_takes_a_fixed_number_of_queries(rated, cast, client, django_assert_max_num_queries):
    stars_page(client)  # warms the per-process caches (the demo flag)
    # The criteria (and so the years), the counties, their pilot townships and roll-outs, the townships, the
    # count and the page's rows, however many villages and counties.
    with django_assert_max_num_queries(7):
        response = stars_page(client, t=cast.township_a.code, page=2)
    assert len(response.context["page"]) == 5


def test_a_cached_page_costs_no_query_and_a_decision_shows_at_once(
    rated, cast, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    query = {"t": cast.township_a.code}
    stars_page(client, **query)
    with django_assert_num_queries(0):
        assert stars_page(client, **query)["Cache-Control"] == "public, max-age=120"
    with django_capture_on_commit_callbacks(execute=True):
        decided(cast, 3, total="85", today=date(2025, 12, 1))
    assert stars_page(client, **query).context["page"].paginator.count == 56
