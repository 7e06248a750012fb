"""Public pages are cached whole; publishing bumps a generation number that is part of every cache key,
so a newly published or corrected round shows at once without enumerating old keys."""

from django.core.cache import cache

GENERATION_KEY = "lianjie:public-generation"


def public_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_public_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value starts a fresh generation
        cache.set(GENERATION_KEY, 2, timeout=None)
