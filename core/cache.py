"""The shared cache on Redis, forgiving of Redis being away.

Nothing in Lianjie keeps data only in the cache, so when Redis cannot be reached a read is a miss and a
write is skipped: pages keep serving from the database (and /healthz names Redis). After a failure Redis
is left alone for a few seconds, so that a host that does not answer costs one timeout, not one per call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5.0


class ForgivingRedisCache(RedisCache):
    _unreachable_until = 0.0  # per process, shared by the threads of a worker

    def _call(self, method: str, fallback, *args, **kwargs):
        if time.monotonic() < ForgivingRedisCache._unreachable_until:
            return fallback
        try:
            return getattr(super(), method)(*args, **kwargs)
        except REDIS_UNREACHABLE as error:
            ForgivingRedisCache._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("Redis cache unreachable (%s); serving without it", type(error).__name__)
            return fallback

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        """None when Redis is away (a missing key still raises ValueError, as Django's caches do)."""
        return self._call("incr", None, key, delta, version)
