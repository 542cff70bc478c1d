"""Maintenance windows: see which bookings a window would hit, then schedule it.

Scheduling cancels every booking that holds the resource during the window. It is not the
booker's fault, so those cancellations are never late; each booker is told through a
`cancelled_by_maintenance` event.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from booking import queries
from booking.models import Booking, MaintenanceWindow, Resource
from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import User

from .bookings import BookingRefused, lock_resource, transition

REASON_MAX = MaintenanceWindow._meta.get_field("reason").max_length


class MaintenanceRefused(BookingRefused):
    """The window cannot be scheduled as given; nothing was written."""


def bookings_hit_by(
    *, resource: Resource, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> QuerySet[Booking]:
    """The bookings a window over [starts_at, ends_at) would cancel, in time order."""
    return (
        queries.holding_bookings(resource, starts_at, ends_at)
        .select_related("user", "project")
        .order_by("start", "pk")
    )


def _window_problem(
    starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> Problem | None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        return Problem("naive_datetime", "Times must include a time zone.", "starts_at")
    if ends_at <= starts_at:
        return Problem("ends_before_start", "The window must end after it starts.", "ends_at")
    if not reason.strip():
        return Problem("reason_missing", "Say why: bookers see the reason.", "reason")
    if len(reason.strip()) > REASON_MAX:
        return Problem(
            "reason_too_long", f"Keep the reason under {REASON_MAX} characters.", "reason"
        )
    return None


def _in_use_problem(hit: list[Booking]) -> Problem | None:
    """A session under way cannot be cancelled; it has to end first."""
    in_use = [booking for booking in hit if booking.status == Booking.Status.CHECKED_IN]
    if not in_use:
        return None
    until = max(booking.end for booking in in_use).astimezone(facility_zone())
    return Problem(
        "resource_in_use",
        f"Someone is checked in until {until:%H:%M on %d %B}: "
        "start the maintenance after they check out.",
        "starts_at",
    )


def schedule_maintenance(
    *,
    resource: Resource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    by: User,
    now: datetime.datetime | None = None,
) -> MaintenanceWindow:
    """Create the window and cancel every booking holding the resource during it, at once.

    Each cancelled booking gets cancel_reason "Maintenance: <reason>", is not late, and emits
    `cancelled_by_maintenance`. Raises MaintenanceRefused (`naive_datetime`,
    `ends_before_start`, `reason_missing`, `reason_too_long`, or `resource_in_use` when
    someone is checked in during the window).
    """
    now = now or timezone.now()
    if problem := _window_problem(starts_at, ends_at, reason):
        raise MaintenanceRefused([problem])
    reason = reason.strip()
    with transaction.atomic():
        locked = lock_resource(resource)
        hit = list(
            bookings_hit_by(
                resource=locked, starts_at=starts_at, ends_at=ends_at
            ).select_for_update(of=("self",))
        )
        if problem := _in_use_problem(hit):
            raise MaintenanceRefused([problem])
        window = MaintenanceWindow.objects.create(
            resource=locked, starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=by
        )
        for booking in hit:
            transition(
                booking,
                Booking.Status.CANCELLED,
                by=by,
                cancelled_at=now,
                cancel_reason=f"Maintenance: {reason}",
                late_cancellation=False,
                event="cancelled_by_maintenance",
            )
        log(
            instance=window,
            action="booking.maintenance.scheduled",
            user=by,
            data={"cancelled": [b.pk for b in hit]},
        )
    return window
