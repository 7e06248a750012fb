"""The shared cache on Redis, forgiving of Redis being away.

Nothing in Lianjie keeps data only in the cache, so when Redis cannot be reached a read is a miss and a
write is skipped: pages keep serving from the database (and /healthz names Redis). After a failure Redis
is left alone for a few seconds, so that a host that does not answer costs one timeout, not one per call.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5.0

P = ParamSpec("P")
T = TypeVar("T")


class ForgivingRedisCache(RedisCache):
    _unreachable_until = 0.0  # per process, shared by the threads of a worker

    def _call(self, fallback: T, method: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        if time.monotonic() < ForgivingRedisCache._unreachable_until:
            return fallback
        try:
            return method(*args, **kwargs)
        except REDIS_UNREACHABLE as error:
            ForgivingRedisCache._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Redis cache unreachable (%s); serving without it", type(error).__name__)
            return fallback

    # Keys and values are whatever Django's cache API takes (BaseCache types them Any).
    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(False, super().has_key, key, version)

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().add, key, value, timeout, version)

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        return self._call(None, super().set, key, value, timeout, version)

    def set_many(
        self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._call(list(data), super().set_many, data, timeout, version)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(False, super().delete, key, version)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        return self._call(None, super().delete_many, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int | None:  # type: ignore[override]
        """None when Redis is away (a missing key still raises ValueError, as Django's caches do)."""
        return self._call(None, super().incr, key, delta, version)
