"""Kiosk sessions: a person signs in on the shared tablet for one action, then it ends.

A session that passed through a kiosk carries a marker with the time it was last used. The
kiosk's views end it right after the action (check-in, or "Done"), the kiosk's resting page
ends it whenever it is shown, and this middleware ends it on any page once it has been idle
for IDLE_SECONDS, so a person who walks away is not left signed in for the next one.
"""

import time

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from booking.models import Kiosk

MARKER = "labitory_kiosk"
IDLE_SECONDS = 120


def begin(request: HttpRequest, kiosk: Kiosk) -> None:
    """Mark the session as a kiosk's. Set before signing in: Django keeps a session's data
    when an anonymous session signs in, so the marker outlives the sign-in."""
    request.session[MARKER] = {"kiosk": kiosk.pk, "seen": time.time()}


def is_kiosk_session(request: HttpRequest) -> bool:
    return MARKER in request.session


def end(request: HttpRequest) -> None:
    """Sign out and forget the session (its marker with it)."""
    logout(request)


class KioskSessionMiddleware:
    """Ends a kiosk session idle for longer than IDLE_SECONDS; otherwise notes its use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        marker = request.session.get(MARKER)
        if marker is not None:
            now = time.time()
            if now - marker.get("seen", 0) > IDLE_SECONDS:
                end(request)
            else:
                request.session[MARKER] = {**marker, "seen": now}
        return self.get_response(request)
