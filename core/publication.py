"""Public pages are cached whole; publishing bumps a generation number that is part of every cache key,
so a newly published or corrected round shows at once without enumerating old keys.

The generation lives in the shared cache (Redis in production); each process keeps the value it read for
GENERATION_SECONDS, so a cached page costs no Redis round trip and another process sees a publication
at most that long after it. The publishing process sees it at once. When the shared cache cannot be read,
the last value read stands; with none, pages are served uncached."""

import logging
import time

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)

GENERATION_KEY = "lianjie:public-generation"
GENERATION_SECONDS = 2.0

# (generation, when it was read), replaced whole so threads never see half of it
_known: tuple[int | None, float] = (None, 0.0)


def _remember(generation: int | None) -> None:
    global _known
    _known = (generation, time.monotonic())


def _fresh_generation() -> int:
    """A start that no page cached before a reset of the shared cache (Redis restarted, a key evicted)
    can carry: the clock in milliseconds, which publications then count up from."""
    return time.time_ns() // 1_000_000


def public_generation() -> int | None:
    value, read_at = _known
    if value is not None and time.monotonic() - read_at < GENERATION_SECONDS:
        return value
    generation: int | None = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    if generation is None:  # the shared cache is unreachable
        return value
    _remember(generation)
    return generation


def bump_public_generation() -> None:
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        generation = _fresh_generation()
        cache.set(GENERATION_KEY, generation, timeout=None)
    if generation is None:
        # Redis is away: other processes keep their pages until they expire (PUBLIC_CACHE_SECONDS); this
        # one drops its own and serves uncached until it can read the generation again.
        logger.error("public pages: the publication could not be announced (the shared cache is unreachable)")
        caches["public_pages"].clear()
    _remember(generation)
