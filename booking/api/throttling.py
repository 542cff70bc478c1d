"""How often the API answers one caller, counted in the default cache (Redis when
REDIS_URL is set), so every web worker shares the counts.

Three limits apply together: per anonymous address (`anon`), per user over all their
sessions and tokens (`user`), and per personal API token (`token`), so one runaway script
is stopped before it uses up its owner's whole allowance. Over a limit the answer is 429
with `Retry-After` and the error code `throttled` (errors.py).
"""

from rest_framework.throttling import SimpleRateThrottle

from people.api_tokens import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Counts the calls made with each personal API token; session calls are not counted."""

    scope = "token"

    def get_rate(self) -> str | None:
        # A rate left out of the settings means no limit, not a configuration error.
        return self.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
