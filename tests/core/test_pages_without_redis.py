"""With Redis configured but unreachable, the shared cache behaves as an empty one: reads miss, writes
are skipped, nothing raises, and the public index is served (uncached) from the database."""

from django.urls import reverse

from core import publication
from core.cache import ForgivingRedisCache

from ..conftest import DEAD_REDIS
from ..public.test_public_index import publish


def test_every_cache_call_answers_as_a_miss(redis_away):
    assert redis_away.get("k", "default") == "default"
    assert redis_away.add("k", 1) is False and redis_away.set("k", 1) is None
    assert redis_away.get_many(["a", "b"]) == {} and redis_away.incr("k") is None
    assert redis_away.delete("k") is False and redis_away.has_key("k") is False
    assert ForgivingRedisCache._unreachable_until > 0  # and Redis is left alone for a few seconds


def test_the_public_index_is_served_from_the_database(cast, redis_away, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, "2025", {cast.village_a: "91", cast.village_b: "81"})
    assert publication.public_generation() is None
    for _ in range(2):  # nothing cached under a generation nobody can read
        html = client.get(reverse("public:index")).content.decode()
        assert "石曲村" in html and "91.00" in html
    assert client.get(reverse("workspace")).status_code == 302  # the demo-flag lookup did not fail either


def test_a_publication_while_redis_is_away_shows_at_once_in_this_process(
    cast, settings, monkeypatch, client, django_capture_on_commit_callbacks
):
    assert "尚未公布" in client.get(reverse("public:index")).content.decode()  # cached, Redis answering
    answering = settings.CACHES
    settings.CACHES = {**answering, "default": DEAD_REDIS}
    monkeypatch.setattr(ForgivingRedisCache, "_unreachable_until", 0.0)
    with django_capture_on_commit_callbacks(execute=True):
        publish(cast, "2025", {cast.village_a: "91", cast.village_b: "81"})
    assert "石曲村" in client.get(reverse("public:index")).content.decode()
    # Redis is back with the generation it had: the page cached before the publication must not return.
    settings.CACHES = answering
    monkeypatch.setattr(publication, "_known", (None, 0.0))
    assert "石曲村" in client.get(reverse("public:index")).content.decode()
