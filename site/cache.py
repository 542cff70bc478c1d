"""Django's Redis cache, keeping one client per connection pool, and treating an unreachable
Redis as an empty cache.

Django builds a new `redis.Redis` for every cache call, and each build fills a table of
some 170 response callbacks: a tenth of a millisecond per call, several calls per API
request (throttling alone makes two). A client only wraps its pool and is safe to share
between threads; the pool itself reconnects after a fork.

Redis is a cache and a broker here, never the system of record: with it down, a read is a
miss, a write is dropped, and the site goes on from PostgreSQL. After a connection error the
cache stops asking Redis for `RETRY_SECONDS`, so a dead Redis costs a request nothing, and
a short connect timeout bounds the one call that finds it dead.
"""

import logging
import time
from functools import partial

from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)  # redis-py's; BusyLoadingError is one too
RETRY_SECONDS = 2.0
# Loopback or a LAN answers in well under a millisecond; a host that does not answer at all
# must not hold a request for the operating system's default of minutes.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 1.0}


class SharedClientCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        try:
            return self._clients[index]
        except KeyError:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
            return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SharedClientCacheClient
        self._down_until = 0.0

    # The breaker: which callers (the API throttle) may ask Redis directly.

    def is_available(self) -> bool:
        return time.monotonic() >= self._down_until

    def mark_unreachable(self, error: Exception) -> None:
        if self.is_available():
            logger.warning(
                "Redis is unreachable (%s); the cache counts as empty for %g s",
                error,
                RETRY_SECONDS,
            )
        self._down_until = time.monotonic() + RETRY_SECONDS

    def ping(self) -> None:
        """Ask Redis itself, past the breaker; raises when it does not answer."""
        self._cache.get_client(write=True).ping()
        self._down_until = 0.0

    def _guarded(self, call, missed):
        if not self.is_available():
            return missed
        try:
            return call()
        except UNREACHABLE as error:
            self.mark_unreachable(error)
            return missed

    # Every operation, with what it answers while Redis is unreachable.

    def get(self, key, default=None, version=None):
        return self._guarded(partial(super().get, key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._guarded(partial(super().has_key, key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded(partial(super().set, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().set_many, data, timeout, version), list(data))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True, as if the key were new: the callers (a one-time code's replay guard) keep
        # their own record in the database, and refusing every code would lock staff out.
        return self._guarded(partial(super().add, key, value, timeout, version), True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded(partial(super().delete, key, version), False)

    def delete_many(self, keys, version=None):
        self._guarded(partial(super().delete_many, keys, version), None)

    def incr(self, key, delta=1, version=None):
        counted = self._guarded(partial(super().incr, key, delta, version), None)
        if counted is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return counted

    def clear(self):
        return self._guarded(super().clear, False)
