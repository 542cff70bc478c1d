"""How often the API answers one caller, counted in the default cache (Redis when
REDIS_URL is set), so every web worker shares the counts.

Three limits apply together: per anonymous address (`anon`), per user over all their
sessions and tokens (`user`), and per personal API token (`token`), so one runaway script
is stopped before it uses up its owner's whole allowance. Over a limit the answer is 429
with `Retry-After` and the error code `throttled` (errors.py).

Each limit is a sliding window: the moments of the calls it let through in the last
`seconds`. Checking every limit and recording the call is one atomic step, or a burst of
concurrent calls would all read the same count and all pass: on Redis a Lua script does
both (a sorted set per limit); on the process-local cache of `make run`, a lock does.
A refused call is not recorded, so a throttled script does not use up its owner's allowance.

While Redis is unreachable the counts fall back to this process's memory: each web worker
then applies the limits on its own (a caller may get one allowance per worker) until Redis
answers again, rather than every API call failing.
"""

import threading
import uuid

from django.core.cache.backends.locmem import LocMemCache
from django.utils.connection import ConnectionProxy
from redis.commands.core import Script
from rest_framework.throttling import SimpleRateThrottle

from labitory.cache import UNREACHABLE, RedisCache
from people.api_tokens import ApiToken

# KEYS: one sorted set per limit (member: a call, score: its moment).
# ARGV: now, a name for this call, then (allowed, seconds) of each key in turn.
# Returns the seconds to wait of each limit that is used up; empty when the call was recorded.
SLIDING_WINDOW_LUA = """
local now, waits = tonumber(ARGV[1]), {}
for i, key in ipairs(KEYS) do
    local allowed, seconds = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - seconds)
    if redis.call('ZCARD', key) >= allowed then
        local oldest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
        waits[#waits + 1] = tostring(seconds - (now - oldest))
    end
end
if #waits == 0 then
    for i, key in ipairs(KEYS) do
        redis.call('ZADD', key, now, ARGV[2])
        redis.call('EXPIRE', key, math.ceil(tonumber(ARGV[2 * i + 2])))
    end
end
return waits
"""

_local_lock = threading.Lock()  # the local-memory cache lives in one process
# The counts of this process alone, while the shared Redis is unreachable.
_fallback = LocMemCache("labitory-throttle-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class ApiRateThrottle(SimpleRateThrottle):
    """Every limit that applies to a call, checked and counted in one atomic step (one round
    trip to Redis). A rate left out of the settings means no limit for its scope."""

    scope = "api"
    cache_format = "throttle_%(scope)s_%(ident)s:window"
    _script: Script | None = None  # the registered Lua script, shared by every Redis client

    def get_rate(self) -> None:
        return None  # each scope has its own rate; see limits()

    def limits(self, request) -> dict[str, tuple[int, int]]:
        """Cache key → (requests allowed, in seconds) of each limit that applies."""
        idents: dict[str, object]
        if not request.user or not request.user.is_authenticated:
            idents = {"anon": self.get_ident(request)}
        else:
            idents = {"user": request.user.pk}
            if isinstance(request.auth, ApiToken):
                idents["token"] = request.auth.pk
        found = {}
        for scope, ident in idents.items():
            allowed, seconds = self.parse_rate(self.THROTTLE_RATES.get(scope))
            if allowed is not None and seconds is not None:
                found[self.cache_format % {"scope": scope, "ident": ident}] = (allowed, seconds)
        return found

    def allow_request(self, request, view) -> bool:
        limits = self.limits(request)
        if not limits:
            return True
        self.now = self.timer()
        cache = self.cache
        if isinstance(cache, ConnectionProxy):  # django.core.cache.cache hides its backend
            cache = cache._connections[cache._alias]
        if isinstance(cache, RedisCache):
            self.waits = self._count_shared(cache, limits)
        else:
            with _local_lock:
                self.waits = self._count_locally(cache, limits)
        return not self.waits

    def _count_shared(self, cache: RedisCache, limits: dict[str, tuple[int, int]]) -> list[float]:
        """In Redis; in this process's memory while Redis is unreachable."""
        if cache.is_available():
            try:
                return self._count_in_redis(cache, limits)
            except UNREACHABLE as error:
                cache.mark_unreachable(error)
        with _local_lock:
            return self._count_locally(_fallback, limits)

    def _count_in_redis(self, cache: RedisCache, limits: dict[str, tuple[int, int]]) -> list[float]:
        client = cache._cache.get_client(write=True)
        script = ApiRateThrottle._script or client.register_script(SLIDING_WINDOW_LUA)
        ApiRateThrottle._script = script
        keys = [cache.make_and_validate_key(key) for key in limits]
        args: list[str | int] = [repr(self.now), uuid.uuid4().hex]
        for allowed, seconds in limits.values():
            args += [allowed, seconds]
        waits = script(keys=keys, args=args, client=client)
        return [float(wait) for wait in waits]

    def _count_locally(self, store, limits: dict[str, tuple[int, int]]) -> list[float]:
        """The same window kept as a list of moments, newest first, in a process-local cache;
        the caller holds the lock."""
        stored = store.get_many(list(limits))
        histories, waits = {}, []
        for key, (allowed, seconds) in limits.items():
            history = [moment for moment in stored.get(key, []) if moment > self.now - seconds]
            if len(history) >= allowed:
                waits.append(seconds - (self.now - history[-1]))
            histories[key] = [self.now, *history]
        if not waits:
            store.set_many(histories, max(seconds for _, seconds in limits.values()))
        return waits

    def wait(self) -> float:
        return max(self.waits)
