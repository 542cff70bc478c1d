"""Holding a resource's time for something that is not a researcher's booking (a training
session): the time is written as a booking of its own purpose, so that it is kept free by the
same row lock and PostgreSQL exclusion constraint as every booking, and shows as busy
wherever bookings do (free time, the lab schedule, calendar feeds).

Only the time is judged here, not the booking rules of a researcher: the holder is staff, and
the time must be open (no closure, maintenance or outage) and not held by anyone else.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking import queries
from booking.audit import log
from booking.models import Booking, Resource
from labitory.refusals import Problem
from people.models import Project, User

from .bookings import (
    BookingRefused,
    lock_resource,
    slot_conflicts_refused,
    slot_taken,
    transition,
)


class HoldRefused(BookingRefused):
    """The time cannot be held as asked; nothing was written."""


def _time_problem(start: datetime.datetime, end: datetime.datetime, now) -> Problem | None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        return Problem("naive_datetime", _("Times must include a time zone."), "start")
    if end <= start:
        return Problem("ends_before_start", _("It must end after it starts."), "end")
    if start < now:
        return Problem("in_the_past", _("Choose a time that has not started yet."), "start")
    return None


def _calendar_problem(locked: Resource, start, end) -> Problem | None:
    around = queries.surroundings(locked, start, end)
    if around.blocked:
        message = _("%(resource)s is not available then: %(label)s.")
        return Problem(
            "blocked",
            message % {"resource": locked.name, "label": around.blocked[0].label},
            "start",
        )
    holders = [h for h in around.bookings if h.start < end and h.end > start]
    if holders and (locked.is_exclusive or len(holders) >= locked.capacity):
        return slot_taken()
    return None


def hold_time(
    *,
    resource: Resource,
    holder: User,
    project: Project,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Hold [start, end) of the resource for `holder`, as a confirmed booking of `purpose`,
    inside the caller's transaction if there is one.

    Raises HoldRefused (`naive_datetime`, `ends_before_start`, `in_the_past`, `blocked`) or
    BookingRefused(`slot_taken`) when the time is held already, also by a racing writer.
    """
    now = now or timezone.now()
    if problem := _time_problem(start, end, now):
        raise HoldRefused([problem])
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        if problem := _calendar_problem(locked, start, end):
            raise HoldRefused([problem])
        hold = Booking.objects.create(
            resource=locked,
            user=holder,
            project=project,
            start=start,
            end=end,
            status=Booking.Status.CONFIRMED,
            exclusive=locked.is_exclusive,
            purpose=purpose,
            note=note[:500],
        )
        log(hold, "booking.confirmed", user=holder, data={"purpose": purpose})
    return hold


def release_hold(*, hold: Booking, by: User, reason: str) -> Booking:
    """Give the held time back (the session was cancelled)."""
    with transaction.atomic():
        hold = Booking.objects.select_for_update().get(pk=hold.pk)
        if not hold.holds_slot:
            return hold
        return transition(
            hold,
            Booking.Status.CANCELLED,
            by=by,
            cancelled_at=timezone.now(),
            cancel_reason=reason[:300],
            late_cancellation=False,
        )
