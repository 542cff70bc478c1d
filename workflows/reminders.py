"""Reminders before a booking starts, at each booker's chosen lead time (default 24 h).

Run from beat every few minutes. Safe to run twice or late: a reminder's key names the
booking and its start, so each start is reminded of once (a moved booking gets a new one),
and a run after an outage still sends what is due for bookings that have not started.
"""

import datetime

from django.db.models import Max
from django.utils import timezone

from booking.models import Booking
from workflows.models import NotificationPreferences
from workflows.notifications import recorded_booking_context
from workflows.outbox import Draft, enqueue_many
from workflows.preferences import preferences_of


def _longest_lead() -> datetime.timedelta:
    chosen = NotificationPreferences.objects.aggregate(hours=Max("reminder_hours"))["hours"] or 0
    return datetime.timedelta(hours=max(chosen, NotificationPreferences.DEFAULT_REMINDER_HOURS))


def reminder_key(booking: Booking) -> str:
    start = booking.start.astimezone(datetime.UTC)
    return f"reminder.booking.{booking.pk}.start.{start:%Y%m%dT%H%M%SZ}.user.{booking.user_id}"


def is_due(booking: Booking, hours: int, now: datetime.datetime) -> bool:
    """Within the lead time before the start, and booked before the reminder point (someone
    who books for in an hour needs no reminder of it)."""
    if hours <= 0:
        return False
    reminder_at = booking.start - datetime.timedelta(hours=hours)
    return reminder_at <= now < booking.start and booking.created_at <= reminder_at


def due_reminders(*, now: datetime.datetime) -> list[Draft]:
    """Reminders due now, read in one query with each booker's preferences."""
    upcoming = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED, start__gt=now, start__lte=now + _longest_lead()
        )
        .select_related("user__notification_preferences", "resource__lab", "project")
        .order_by("start", "pk")
    )
    drafts = []
    for booking in upcoming:
        hours = preferences_of(booking.user).reminder_hours
        if is_due(booking, hours, now):
            drafts.append(
                Draft(
                    "booking_reminder",
                    booking.user,
                    reminder_key(booking),
                    {**recorded_booking_context(booking), "hours": hours, "reason": "", "by": None},
                )
            )
    return drafts


def enqueue_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Write every due reminder not yet written; returns how many were new."""
    return enqueue_many(due_reminders(now=now or timezone.now()))
