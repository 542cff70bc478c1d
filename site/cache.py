"""Django's Redis cache, keeping one client per connection pool.

Django builds a new `redis.Redis` for every cache call, and each build fills a table of
some 170 response callbacks: a tenth of a millisecond per call, several calls per API
request (throttling alone makes two). A client only wraps its pool and is safe to share
between threads; the pool itself reconnects after a fork.
"""

from django.core.cache.backends import redis


class SharedClientCacheClient(redis.RedisCacheClient):
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


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientCacheClient
