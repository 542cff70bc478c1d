"""The kiosk: a shared tablet beside an instrument, opened by the secret address a
coordinator issues (booking.services.kiosks).

Its resting page shows what holds the instrument now and next, as "Booked" and times only.
A person taps "Check in", signs in through the one sign-in page (two-factor included for
staff), sees their own booking only, and checks in with one tap; the session then ends at
once. booking.kiosk_session ends it too when it is left idle.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from booking import kiosk_session
from booking.checkin import kiosk_for, now_and_next
from booking.models import Kiosk
from labitory.clock import facility_zone

from .checkin import attempt_check_in, attendance_context, unavailable


def _refusal(request: HttpRequest, token: str) -> tuple[Kiosk | None, HttpResponse | None]:
    """The kiosk of the token, or the page saying why there is none: an unknown address
    (404), a revoked one (410), or an instrument out of service (410)."""
    kiosk = kiosk_for(token)
    if kiosk is None or not kiosk.is_active:
        status = 404 if kiosk is None else 410
        return None, render(request, "booking/kiosk/refused.html", {"kiosk": kiosk}, status=status)
    if refusal := unavailable(request, kiosk.resource):
        return None, refusal
    return kiosk, None


@require_safe
def display(request: HttpRequest, token: str) -> HttpResponse:
    """The resting page. Showing it ends a kiosk session still open on the tablet."""
    kiosk, refusal = _refusal(request, token)
    if refusal:
        return refusal
    if kiosk_session.is_kiosk_session(request):
        kiosk_session.end(request)
    now = timezone.now()
    context = {
        "kiosk": kiosk,
        "token": token,
        "resource": kiosk.resource,
        "schedule": now_and_next(kiosk.resource, now),
        "idle_minutes": kiosk_session.IDLE_SECONDS // 60,
        "now": now,
        "zone": facility_zone(),
    }
    return render(request, "booking/kiosk/display.html", context)


@require_safe
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """Start a kiosk session and sign in, coming back to the kiosk's check-in."""
    kiosk, refusal = _refusal(request, token)
    if refusal:
        return refusal
    kiosk_session.begin(request, kiosk)
    target = reverse("kiosk:check_in", args=[token])
    if request.user.is_authenticated:
        return redirect(target)
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The signed-in person's own booking on the kiosk's instrument, and one tap to check in;
    after the tap the session ends whatever the outcome."""
    kiosk, refusal = _refusal(request, token)
    if refusal:
        return refusal
    resource = kiosk.resource
    if request.method == "POST":
        done = attempt_check_in(request, resource)
        kiosk_session.end(request)
        context = {"resource": resource, "token": token, "done": done}
        return render(request, "booking/kiosk/done.html", context)
    kiosk_session.begin(request, kiosk)
    context = {
        **attendance_context(resource, request.user, timezone.now()),
        "token": token,
        "idle_seconds": kiosk_session.IDLE_SECONDS,
    }
    return render(request, "booking/kiosk/check_in.html", context)


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, token: str) -> HttpResponse:
    """ "Done": end the kiosk session (only a kiosk's) and go back to the resting page."""
    if kiosk_session.is_kiosk_session(request):
        kiosk_session.end(request)
        messages.info(request, "You’re signed out.")
    return redirect("kiosk:display", token=token)
