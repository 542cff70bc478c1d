"""An instrument's status: up, limited (works with a stated limitation) or down.

Setting it down records an outage from now until the expected return: the booking rules
refuse new bookings within it (`resource_down`), and the bookings it hits are either
cancelled ("Down: <note>", never late) or kept with a warning; each booker hears once,
through the booking events (workflows' outbox). Bringing it back, or marking it limited, ends
the outage at once. Every change is logged on the resource.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking import events
from booking.models import Booking, Outage, Resource
from booking.permissions import can_set_resource_status
from labitory.refusals import Problem, Refused
from people.models import User

from .blocking import bookings_hit_by
from .bookings import lock_resource, transition

NOTE_MAX = Resource._meta.get_field("status_note").max_length
Status = Resource.Status


class StatusRefused(Refused):
    """The status cannot be set as given; nothing was written."""


@dataclass(frozen=True)
class StatusChange:
    """What a coordinator asks: the new status, why, and (when down) until when."""

    status: str
    note: str = ""
    expected_back: datetime.datetime | None = None
    cancel_hit: bool = True  # down only: cancel the bookings hit, or keep them with a warning


def _problem(change: StatusChange, now: datetime.datetime) -> Problem | None:
    """What is wrong with the change as given, if anything."""
    note = change.note.strip()
    if change.status not in Status.values:
        return Problem("unknown_status", _("Choose up, limited or down."), "status")
    if change.status != Status.UP and not note:
        return Problem("status_note_missing", _("Say what is wrong: bookers see this."), "note")
    if len(note) > NOTE_MAX:
        return Problem(
            "status_note_too_long",
            _("Keep it under %(max)s characters.") % {"max": NOTE_MAX},
            "note",
        )
    back = change.expected_back
    if back is not None and timezone.is_naive(back):
        return Problem("naive_datetime", _("Times must include a time zone."), "expected_back")
    if change.status == Status.DOWN and back is None:
        return Problem(
            "expected_back_missing",
            _("Say when it is expected back: bookings after that stay open."),
            "expected_back",
        )
    if back is not None and back <= now:
        return Problem(
            "expected_back_past", _("The expected return must be in the future."), "expected_back"
        )
    return None


def bookings_hit_by_outage(
    *, resource: Resource, until: datetime.datetime, now: datetime.datetime
) -> QuerySet[Booking]:
    """The upcoming bookings an outage from `now` to `until` would hit, in time order (a
    session under way is not among them: its booker is there and knows)."""
    return bookings_hit_by(resources=[resource], starts_at=now, ends_at=until).exclude(
        status=Booking.Status.CHECKED_IN
    )


def current_outage(resource: Resource, now: datetime.datetime) -> Outage | None:
    return resource.outages.filter(starts_at__lte=now, ends_at__gt=now).first()


def _end_outage(resource: Resource, now: datetime.datetime) -> None:
    """Close the outage under way at `now` (one that has not begun yet is dropped)."""
    outage = current_outage(resource, now)
    if outage is None:
        return
    if outage.starts_at < now:
        outage.ends_at = now
        outage.save(update_fields=["ends_at"])
    else:
        outage.delete()


def _record_outage(
    resource: Resource, until: datetime.datetime, note: str, by: User, now
) -> Outage:
    """The outage from now to the expected return: the current one moved, or a new one."""
    outage = current_outage(resource, now)
    if outage is None:
        outage = Outage(resource=resource, starts_at=now, created_by=by)
    outage.ends_at, outage.reason = until, note.strip()
    outage.save()
    return outage


def _tell_hit(hit: list[Booking], change: StatusChange, by: User, now) -> None:
    reason = f"Down: {change.note.strip()}"
    for booking in hit:
        if change.cancel_hit:
            transition(
                booking,
                Booking.Status.CANCELLED,
                by=by,
                cancelled_at=now,
                cancel_reason=reason,
                late_cancellation=False,
            )
        else:
            log(booking, "booking.outage_warned", user=by, data={"reason": reason})
            events.emit(booking, "outage_warning", reason, by=by)


def set_resource_status(
    *,
    resource: Resource,
    change: StatusChange,
    by: User,
    now: datetime.datetime | None = None,
) -> tuple[Resource, list[Booking]]:
    """Set the resource's status; when down, record the outage and cancel (or warn) the
    upcoming bookings it hits. Returns the resource and those bookings.

    Raises StatusRefused: `not_lab_staff` (the user does not coordinate its lab),
    `resource_inactive`, `unknown_status`, `status_note_missing`, `status_note_too_long`,
    `naive_datetime`, `expected_back_missing`, `expected_back_past`.
    """
    now = now or timezone.now()
    if not can_set_resource_status(by, resource):
        raise StatusRefused(
            "not_lab_staff", _("Only %(lab)s's coordinators may do this.") % {"lab": resource.lab}
        )
    if not resource.is_active:
        raise StatusRefused(
            "resource_inactive", _("%(name)s is no longer in use.") % {"name": resource.name}
        )
    if problem := _problem(change, now):
        raise StatusRefused([problem])
    with transaction.atomic():
        lock_resource(resource)
        hit = []
        until = change.expected_back  # _problem refused a "down" without it
        if change.status == Status.DOWN and until is not None:
            hit = list(bookings_hit_by_outage(resource=resource, until=until, now=now))
            _record_outage(resource, until, change.note, by, now)
            _tell_hit(hit, change, by, now)
        else:
            _end_outage(resource, now)
        resource.status = change.status
        resource.status_note = change.note.strip() if change.status != Status.UP else ""
        resource.expected_back = change.expected_back if change.status != Status.UP else None
        resource.save(update_fields=["status", "status_note", "expected_back"])
        log(
            instance=resource,
            action=f"booking.status.{change.status}",
            user=by,
            data={
                "note": resource.status_note,
                "expected_back": str(resource.expected_back or ""),
                "bookings": [booking.pk for booking in hit],
                "cancelled": change.cancel_hit and change.status == Status.DOWN,
            },
        )
    return resource, hit
