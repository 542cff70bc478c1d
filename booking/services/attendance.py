"""Turning up: check-in and check-out, and the periodic sweeps that settle past bookings.

Check-in opens EARLY_CHECK_IN before the start. On a resource that releases no-shows it
closes when the check-in window after the start has passed (the booking is then released
as a no-show); on one that does not, it stays open until the booking ends.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.models import Booking
from booking.permissions import can_check_in, can_check_out
from labitory.clock import facility_zone
from labitory.dates import day_month
from labitory.refusals import Problem
from people.models import User

from .bookings import BookingRefused, IllegalTransition, transition

EARLY_CHECK_IN = datetime.timedelta(minutes=15)


class AttendanceRefused(BookingRefused):
    """Check-in or check-out is not possible now or not for this user; nothing was written."""


def check_in_opens(booking: Booking) -> datetime.datetime:
    return booking.start - EARLY_CHECK_IN


def check_in_closes(booking: Booking) -> datetime.datetime:
    """When a booking not yet checked in stops accepting check-in."""
    if booking.resource.release_no_shows:
        return booking.start + datetime.timedelta(minutes=booking.resource.checkin_window)
    return booking.end


def _local(moment: datetime.datetime) -> str:
    """'09:45 on 05 March' ('09:45 am 5. März'), in the facility's zone."""
    local = moment.astimezone(facility_zone())
    return _("%(time)s on %(date)s") % {"time": f"{local:%H:%M}", "date": day_month(local)}


def check_in_problem(booking: Booking, by: User, now: datetime.datetime) -> Problem | None:
    """Why `by` cannot check in to the booking at `now`, or None when they can: the one
    rule the service, the booking page, the check-in page and the kiosk ask."""
    if not can_check_in(by, booking):
        return Problem("not_your_booking", _("Only the person who booked can check in."))
    if Booking.Status.CHECKED_IN not in Booking.TRANSITIONS[booking.status]:
        status = booking.get_status_display().lower()
        return Problem(
            "illegal_transition",
            _("This booking is %(status)s: it cannot be checked in.") % {"status": status},
        )
    if now < check_in_opens(booking):
        return Problem(
            "check_in_not_open",
            _("Check-in opens at %(time)s.") % {"time": _local(check_in_opens(booking))},
        )
    if now >= check_in_closes(booking):
        return Problem(
            "check_in_closed",
            _("Check-in closed at %(time)s.") % {"time": _local(check_in_closes(booking))},
        )
    return None


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)


def check_in(*, booking: Booking, by: User, now: datetime.datetime | None = None) -> Booking:
    """The booker arrives: a confirmed booking becomes checked in, stamped with `now`.

    Raises AttendanceRefused (`not_your_booking`, `check_in_not_open`, `check_in_closed`) or
    IllegalTransition when the booking is not confirmed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if problem := check_in_problem(booking, by, now):
            if problem.code == "illegal_transition":
                raise IllegalTransition(booking, Booking.Status.CHECKED_IN)
            raise AttendanceRefused([problem])
        return transition(booking, Booking.Status.CHECKED_IN, by=by, checked_in_at=now)


def check_out(*, booking: Booking, by: User, now: datetime.datetime | None = None) -> Booking:
    """The booker leaves: a checked-in booking becomes completed, stamped with `now`.

    Raises AttendanceRefused (`not_your_booking`, `not_checked_in`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked(booking)
        if not can_check_out(by, booking):
            raise AttendanceRefused(
                [Problem("not_your_booking", _("Only the person who booked can check out."))]
            )
        if booking.status != Booking.Status.CHECKED_IN:
            raise AttendanceRefused(
                [Problem("not_checked_in", _("This booking is not checked in, so it cannot end."))]
            )
        return transition(booking, Booking.Status.COMPLETED, by=by, checked_out_at=now)


def release_no_shows(*, now: datetime.datetime | None = None) -> int:
    """Confirmed bookings not checked in by the end of their window become no-shows.

    Only on resources that release no-shows; the slot is free again. Returns how many were
    released. Safe to run twice and concurrently: each booking is claimed under a row lock
    that other runs skip, and re-checked once claimed.
    """
    now = now or timezone.now()
    candidates = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, resource__release_no_shows=True, start__lte=now
    ).values_list("pk", "start", "resource__checkin_window")
    due = [
        pk for pk, start, window in candidates if start + datetime.timedelta(minutes=window) <= now
    ]
    with transaction.atomic():
        claimed = list(
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=due, status=Booking.Status.CONFIRMED)
            .order_by("pk")
        )
        for booking in claimed:
            transition(booking, Booking.Status.NO_SHOW, by=None)
    return len(claimed)


def complete_finished(*, now: datetime.datetime | None = None) -> int:
    """Bookings whose time is over are completed; returns how many.

    Checked-in bookings past their end (checked out at the booked end), and confirmed
    bookings of resources that do not release no-shows. Safe to run twice and concurrently.
    """
    now = now or timezone.now()
    finished = Q(status=Booking.Status.CHECKED_IN) | Q(
        status=Booking.Status.CONFIRMED, resource__release_no_shows=False
    )
    with transaction.atomic():
        claimed = list(
            Booking.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(finished, end__lte=now)
            .order_by("pk")
        )
        for booking in claimed:
            if booking.status == Booking.Status.CHECKED_IN:
                transition(booking, Booking.Status.COMPLETED, by=None, checked_out_at=booking.end)
            else:
                transition(booking, Booking.Status.COMPLETED, by=None)
    return len(claimed)
