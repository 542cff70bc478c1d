"""The instrument's own pages: its printable sign with a QR code, the check-in page the code
opens, and the kiosk address its coordinators issue. Each view parses input, calls one
service (check_in, enable_kiosk, revoke_kiosk) and renders the result."""

import datetime
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from booking.checkin import active_kiosk_of, current_booking, free_from_now
from booking.forms import LOCAL_FORMAT
from booking.models import Booking, Resource
from booking.permissions import can_manage_lab
from booking.services import AttendanceRefused, IllegalTransition, check_in
from booking.services.attendance import check_in_problem
from booking.services.kiosks import KioskRefused, enable_kiosk, revoke_kiosk
from labitory.clock import facility_zone
from people.models import User

SIGN_SIZES = ("a4", "a5")


def unavailable(request: HttpRequest, resource: Resource | None) -> HttpResponse | None:
    """The answer to a code for an unknown (404) or retired (410) instrument; None when the
    instrument is in service."""
    if resource is not None and resource.is_active:
        return None
    status = 404 if resource is None else 410
    return render(
        request, "booking/checkin/unavailable.html", {"resource": resource}, status=status
    )


def _resource(resource_id: int) -> Resource | None:
    return Resource.objects.select_related("lab").filter(pk=resource_id).first()


def booking_url_from(slot) -> str:
    zone = facility_zone()
    query = {
        "start": slot.start.astimezone(zone).strftime(LOCAL_FORMAT),
        "end": slot.end.astimezone(zone).strftime(LOCAL_FORMAT),
    }
    return urlencode(query, safe=":")


def attendance_context(resource: Resource, user: User, now: datetime.datetime) -> dict:
    """What the check-in page and the signed-in kiosk show: the person's booking now and
    whether they may check in to it, or else the time free from now."""
    booking = current_booking(resource, user, now)
    context: dict = {"resource": resource, "booking": booking, "zone": facility_zone()}
    if booking is not None:
        context["problem"] = check_in_problem(booking, user, now)
        return context
    free = free_from_now(resource, user, now)
    context["free"] = free
    if free.slot is not None:
        new = reverse("booking:new", args=[resource.pk])
        context["book_url"] = f"{new}?{booking_url_from(free.slot)}"
    return context


def attempt_check_in(request: HttpRequest, resource: Resource) -> bool:
    """Check the signed-in person in to the booking posted, telling them how it went.

    The booking is looked up on this resource only; whose it is, and whether its window is
    open, is the service's rule.
    """
    raw = request.POST.get("booking", "")
    booking = (
        Booking.objects.filter(pk=int(raw), resource=resource).first() if raw.isdigit() else None
    )
    if booking is None:
        messages.error(request, f"There is no such booking on {resource.name}.")
        return False
    try:
        done = check_in(booking=booking, by=request.user)
    except AttendanceRefused as refused:
        messages.error(request, refused.message)
        return False
    except IllegalTransition as error:
        messages.error(request, str(error))
        return False
    until = done.end.astimezone(facility_zone())
    messages.success(request, f"You’re checked in to {resource.name} until {until:%H:%M}.")
    return True


@login_required
@require_http_methods(["GET", "POST"])
def instrument_check_in(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The page an instrument's QR code opens: check in to one's booking with one tap."""
    resource = _resource(resource_id)
    if refusal := unavailable(request, resource):
        return refusal
    if request.method == "POST":
        attempt_check_in(request, resource)
        return redirect("booking:instrument_check_in", resource_id=resource.pk)
    context = attendance_context(resource, request.user, timezone.now())
    return render(request, "booking/checkin/check_in.html", context)


def _managed(request: HttpRequest, resource_id: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("lab"), pk=resource_id)
    if not can_manage_lab(request.user, resource.lab):
        raise PermissionDenied("Only the lab's coordinators print its signs.")
    return resource


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (medium error correction survives a scuffed sign)."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=10, border=2, title="QR code: check in", omitsize=True
    )


def _sign(request: HttpRequest, resource: Resource, **extra) -> HttpResponse:
    size = request.GET.get("size", "a4")
    check_in_url = request.build_absolute_uri(
        reverse("booking:instrument_check_in", args=[resource.pk])
    )
    context = {
        "resource": resource,
        "size": size if size in SIGN_SIZES else "a4",
        "sizes": SIGN_SIZES,
        "check_in_url": check_in_url,
        "qr": qr_svg(check_in_url),
        "kiosk": active_kiosk_of(resource),
        **extra,
    }
    return render(request, "booking/checkin/sign.html", context)


@login_required
@require_safe
def instrument_sign(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The instrument's printable sign (A4 or A5) and its kiosk address, for its coordinators."""
    return _sign(request, _managed(request, resource_id))


@login_required
@require_POST
def kiosk_enable(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _managed(request, resource_id)
    try:
        _kiosk, token = enable_kiosk(resource=resource, by=request.user)
    except KioskRefused as refused:
        messages.error(request, refused.message)
        return redirect("booking:instrument_sign", resource_id=resource.pk)
    # The token is shown this once; only its hash is kept.
    kiosk_url = request.build_absolute_uri(reverse("kiosk:display", args=[token]))
    return _sign(request, resource, new_kiosk_url=kiosk_url)


@login_required
@require_POST
def kiosk_revoke(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = _managed(request, resource_id)
    if revoke_kiosk(resource=resource, by=request.user):
        messages.success(request, "The kiosk address is revoked: the tablet shows nothing now.")
    else:
        messages.info(request, "This instrument had no kiosk address.")
    return redirect("booking:instrument_sign", resource_id=resource.pk)
