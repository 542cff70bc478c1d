"""Turning up: check-in and check-out, and the periodic sweeps that settle past bookings.

Check-in opens EARLY_CHECK_IN before the start. On a resource that releases no-shows it
closes when the check-in window after the start has passed (the booking is then released
as a no-show); on one that does not, it stays open until the booking ends.

The lab's staff record attendance for a booker at the desk (`record_attendance`): check in
(until the booking ends, whatever the window), check out, or mark a no-show once the booking
has begun, always with a reason that the booking's log keeps beside their name.
"""

import datetime
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booking.models import Booking
from booking.permissions import can_check_in, can_check_out, can_record_attendance
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


class DeskAction(models.TextChoices):
    """What staff record for a booker."""

    CHECK_IN = "check_in", gettext_lazy("Check in")
    CHECK_OUT = "check_out", gettext_lazy("Check out")
    NO_SHOW = "no_show", gettext_lazy("No-show")


# Each action: the status it moves the booking to, and the moment it stamps (if any).
DESK_MOVES = {
    DeskAction.CHECK_IN: (Booking.Status.CHECKED_IN, "checked_in_at"),
    DeskAction.CHECK_OUT: (Booking.Status.COMPLETED, "checked_out_at"),
    DeskAction.NO_SHOW: (Booking.Status.NO_SHOW, None),
}
REASON_MAX = 300


def desk_problem(booking: Booking, by: User, action: str, now: datetime.datetime) -> Problem | None:
    """Why `by` cannot record `action` for the booking at `now`, or None when they can: the
    one rule the service, the admin's form, its buttons and the lab schedule ask."""
    if not can_record_attendance(by, booking):
        message = _("Only %(lab)s's staff record this.") % {"lab": booking.resource.lab}
        return Problem("not_lab_staff", message)
    if action not in DESK_MOVES:
        return Problem("unknown_action", _("Choose check in, check out or no-show."), "action")
    if action == DeskAction.CHECK_OUT and booking.status != Booking.Status.CHECKED_IN:
        return Problem("not_checked_in", _("This booking is not checked in, so it cannot end."))
    to, _stamp = DESK_MOVES[DeskAction(action)]
    if to not in Booking.TRANSITIONS[booking.status]:
        status = booking.get_status_display().lower()
        label = DeskAction(action).label.lower()
        message = _("This booking is %(status)s: no %(action)s for it.")
        return Problem("illegal_transition", message % {"status": status, "action": label})
    if action == DeskAction.CHECK_IN and now < check_in_opens(booking):
        opens = _local(check_in_opens(booking))
        return Problem("check_in_not_open", _("Check-in opens at %(time)s.") % {"time": opens})
    if action == DeskAction.CHECK_IN and now >= booking.end:
        return Problem("booking_over", _("This booking has ended: record a no-show instead."))
    if action == DeskAction.NO_SHOW and now < booking.start:
        starts = _local(booking.start)
        message = _("It starts at %(time)s: wait until then.")
        return Problem("not_started", message % {"time": starts})
    return None


def desk_actions(booking: Booking, by: User, now: datetime.datetime) -> list[DeskAction]:
    """The actions `by` may record for the booking now, for screens to offer."""
    return [action for action in DeskAction if desk_problem(booking, by, action, now) is None]


def record_attendance(
    *,
    booking: Booking,
    by: User,
    action: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> Booking:
    """Staff check the booker in or out, or record a no-show, saying why; the log keeps
    who and why, and the booker hears as they would of their own.

    Raises AttendanceRefused: `not_lab_staff`, `unknown_action`, `reason_missing`,
    `reason_too_long`, `check_in_not_open`, `booking_over`, `not_started`; or
    IllegalTransition when the booking's status does not allow it.
    """
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        booking = _locked(booking)
        problem = desk_problem(booking, by, action, now)
        if problem and problem.code == "illegal_transition":
            raise IllegalTransition(booking, DESK_MOVES[DeskAction(action)][0], problem.message)
        if problem is None and not reason:
            problem = Problem("reason_missing", _("Say why you record this for them."), "reason")
        if problem is None and len(reason) > REASON_MAX:
            message = _("At most %(count)s characters.") % {"count": REASON_MAX}
            problem = Problem("reason_too_long", message, "reason")
        if problem:
            raise AttendanceRefused([problem])
        to, stamp = DESK_MOVES[DeskAction(action)]
        stamps: dict[str, Any] = {stamp: now} if stamp else {}
        data = {"by_staff": by.name, "attendance_reason": reason}
        return transition(booking, to, by=by, reason=reason, log_data=data, **stamps)


def release_no_shows(*, now: datetime.datetime | None = None) -> int:
    """Confirmed bookings not checked in by the end of their window become no-shows.

    Only on resources that release no-shows; the slot is free again. Returns how many were
    released. Safe to run twice and concurrently: each booking is claimed under a row lock
    that other runs skip, and re-checked once claimed.
    """
    now = now or timezone.now()
    candidates = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        resource__release_no_shows=True,
        start__lte=now,
        purpose=Booking.Purpose.BOOKING,
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

    Checked-in bookings past their end (checked out at the booked end), confirmed bookings
    of resources that do not release no-shows, and time held for training. Safe to run twice
    and concurrently.
    """
    now = now or timezone.now()
    confirmed = Q(status=Booking.Status.CONFIRMED)
    finished = Q(status=Booking.Status.CHECKED_IN) | (
        confirmed
        # Time held for training is never released as a no-show: it ends as it was held.
        & (Q(resource__release_no_shows=False) | Q(purpose=Booking.Purpose.TRAINING))
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
