"""How often the API answers one caller, counted in the default cache (Redis when
REDIS_URL is set), so every web worker shares the counts.

Three limits apply together: per anonymous address (`anon`), per user over all their
sessions and tokens (`user`), and per personal API token (`token`), so one runaway script
is stopped before it uses up its owner's whole allowance. Over a limit the answer is 429
with `Retry-After` and the error code `throttled` (errors.py).
"""

from rest_framework.throttling import SimpleRateThrottle

from people.api_tokens import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    """Every limit that applies to a call, read from the cache in one round trip and
    written back in one (DRF's throttles take two each). A rate left out of the settings
    means no limit for its scope."""

    scope = "api"

    def get_rate(self) -> None:
        return None  # each scope has its own rate; see limits()

    def limits(self, request) -> dict[str, tuple[int, int]]:
        """Cache key → (requests allowed, in seconds) of each limit that applies."""
        if not request.user or not request.user.is_authenticated:
            idents = {"anon": self.get_ident(request)}
        else:
            idents = {"user": request.user.pk}
            if isinstance(request.auth, ApiToken):
                idents["token"] = request.auth.pk
        found = {}
        for scope, ident in idents.items():
            rate = self.THROTTLE_RATES.get(scope)
            if rate:
                key = self.cache_format % {"scope": scope, "ident": ident}
                found[key] = self.parse_rate(rate)
        return found

    def allow_request(self, request, view) -> bool:
        limits = self.limits(request)
        if not limits:
            return True
        self.now = self.timer()
        stored = self.cache.get_many(list(limits))
        histories, self.waits = {}, []
        for key, (allowed, seconds) in limits.items():
            history = [moment for moment in stored.get(key, []) if moment > self.now - seconds]
            if len(history) >= allowed:
                self.waits.append(seconds - (self.now - history[-1]))
            histories[key] = [self.now, *history]
        if self.waits:
            return False
        longest = max(seconds for _, seconds in limits.values())
        self.cache.set_many(histories, longest)
        return True

    def wait(self) -> float:
        return max(self.waits)
