"""Sign-in lockout: repeated wrong passwords or two-factor codes lock an email address.

The counter is allauth's `login_failed` rate limit per key (ACCOUNT_RATE_LIMITS), kept in
the shared cache. Wrong two-factor codes are counted into the same key, so guessing either
factor locks the account the same way. A site admin can clear it.
"""

import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

from people.models import User

APP = "allauth.account"
ACTION = "login_failed"


def lockout_key(email: str) -> str:
    """The rate-limit key of an address (the account adapter uses the same)."""
    return (email or "").strip().lower()


def count_failure(request: HttpRequest, email: str):
    """Count one failed attempt; returns the usage (to roll back on success) or None if the
    address is now over its limit."""
    return allauth_ratelimit.consume(request, app=APP, action=ACTION, key=lockout_key(email))


def is_locked_out(request: HttpRequest, email: str) -> bool:
    """Whether the per-address limit is used up (the per-IP limit is not considered)."""
    for rate in allauth_ratelimit.get_rates(app=APP, action=ACTION):
        if rate.per != "key":
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=APP, action=ACTION, rate=rate, key=lockout_key(email)
        )
        history = cache.get(cache_key, [])
        now = time.time()
        recent = [moment for moment in history if moment > now - rate.duration]
        if len(recent) >= rate.amount:
            return True
    return False


def clear_lockout(request: HttpRequest, *, user: User, by: User) -> None:
    """Forget the user's failed attempts so they can sign in again at once; logged."""
    from people.audit import record

    allauth_ratelimit.clear(request, app=APP, action=ACTION, key=lockout_key(user.email))
    record("people.lockout_cleared", subject=user, actor=by, request=request)
