"""The public pages during and after an index's publicity period (公示期): "公示中，截止 YYYY-MM-DD" with a link
to the objection form while it is open, the end date and the look-up link after; the methodology says how
to object."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils import timezone

from public.publicity import end_of_day
from scoring.models import Round
from scoring.services import round_compute_results

from ..scoring_helpers import fill_scores, make_round, published_now


@pytest.fixture
def published(cast):
    return published_now(cast)


def pages(cast):
    return [
        reverse("public:index"),
        reverse("public:period", args=["2025"]),
        reverse("public:village", args=["2025", cast.village_a.code]),
    ]


def test_the_index_period_and_village_pages_say_it_is_in_publicity_and_link_the_form(client, cast, published):
    banner = f"公示中，截止 {published.publicity_ends_on:%Y-%m-%d}"
    form = reverse("objection:new", args=["2025"])
    for url in pages(cast):
        page = client.get(url).content.decode()
        assert banner in page, url
        assert form in page and "提出异议" in page, url
    village_page = client.get(pages(cast)[2]).content.decode()
    assert f"village={cast.village_a.code}" in village_page  # the form opens on the village


def test_after_the_window_the_pages_give_its_end_and_no_form(client, cast, published, monkeypatch):
    ends = published.publicity_ends_on
    monkeypatch.setattr(timezone, "localdate", lambda *args: ends + timedelta(days=1))
    for url in pages(cast):
        page = client.get(url).content.decode()
        assert "公示中" not in page and reverse("objection:new", args=["2025"]) not in page, url
        assert f"公示期已于 {ends:%Y-%m-%d} 结束" in page and reverse("objection:receipt") in page, url


def test_a_round_published_before_publicity_existed_shows_no_banner(client, cast):
    round_ = make_round("2025", status=Round.Status.PUBLISHED)
    fill_scores(round_, cast.village_a, "91")
    round_compute_results(round_)
    page = client.get(reverse("public:index")).content.decode()
    assert "公示中" not in page and "公示期已于" not in page


def test_the_methodology_says_how_to_object_and_how_long(client, published):
    page = client.get(reverse("public:methodology")).content.decode()
    assert "公示与异议" in page and "公示7天" in page and reverse("objection:receipt") in page


def test_the_objection_form_lists_the_rounds_villages_only_and_carries_csrf(client, cast, published, second_county):
    page = client.get(reverse("objection:new", args=["2025"]))
    assert page.status_code == 200
    villages = list(page.context["form"].fields["village"].queryset)
    assert villages == sorted([cast.village_a, cast.village_b], key=lambda village: village.township.code)
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert page["Cache-Control"] == "no-store"  # a form with the visitor's token is never cached


def test_an_unpublished_period_has_no_form(client, cast, published):
    assert client.get(reverse("objection:new", args=["2024"])).status_code == 404


def test_a_page_cached_in_the_window_is_not_served_with_the_banner_once_the_window_ends(
    client, cast, published, monkeypatch
):
    """The page cache keeps a page no longer than to the end of the last day of the window (Asia/Shanghai):
    read 90 seconds before midnight it is kept 90 seconds, and after midnight it is built anew."""
    ends_at = end_of_day(published.publicity_ends_on)
    assert (ends_at.hour, ends_at.utcoffset()) == (0, timedelta(hours=8))
    clock = SimpleNamespace(now=ends_at - timedelta(seconds=90))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    fake_time = SimpleNamespace(time=lambda: clock.now.timestamp())  # the page cache's clock
    monkeypatch.setattr(cache_base, "time", fake_time)
    monkeypatch.setattr(locmem, "time", fake_time)
    banner = f"公示中，截止 {published.publicity_ends_on:%Y-%m-%d}"
    for url in pages(cast):
        first = client.get(url)
        assert banner in first.content.decode(), url
        assert first["Cache-Control"] == "public, max-age=90", url
    clock.now = ends_at - timedelta(seconds=30)
    published.publicity_ends_on -= timedelta(days=1)  # written behind the cache's back: the cached page answers
    published.save(update_fields=["publicity_ends_on"])
    assert banner in client.get(pages(cast)[0]).content.decode()
    published.publicity_ends_on += timedelta(days=1)
    published.save(update_fields=["publicity_ends_on"])
    clock.now = ends_at + timedelta(seconds=1)
    for url in pages(cast):
        page = client.get(url).content.decode()
        assert "公示中" not in page and f"公示期已于 {published.publicity_ends_on:%Y-%m-%d} 结束" in page, url


def test_outside_any_window_pages_are_kept_their_normal_time(client, cast, published, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: end_of_day(published.publicity_ends_on) + timedelta(days=1))
    assert client.get(reverse("public:index"))["Cache-Control"] == "public, max-age=120"
