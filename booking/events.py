"""Booking events other apps react to (approvals, notifications, billing).

Each event is sent twice: `*_recorded` inside the transaction that made the change, so a
receiver's own writes (an approval request, outbox rows) commit or roll back with it; and
`*_event` after the commit, with ids only, for work that must not run on a change that
might still roll back (tasks, offers of freed time).
"""

from django.db import transaction
from django.dispatch import Signal

# Arguments: booking, event (e.g. "requested", "confirmed", "cancelled"), reason, by (the
# user who made the change, None for the system), approval_reasons (for "requested"),
# created (the booking was made by this change).
booking_recorded = Signal()
# Arguments: booking_id, event, reason.
booking_event = Signal()


def emit(
    booking, event: str, reason: str = "", *, by=None, approval_reasons=(), created=False
) -> None:
    booking_recorded.send(
        sender="booking",
        booking=booking,
        event=event,
        reason=reason,
        by=by,
        approval_reasons=tuple(approval_reasons),
        created=created,
    )
    booking_id = booking.pk
    transaction.on_commit(
        lambda: booking_event.send(
            sender="booking", booking_id=booking_id, event=event, reason=reason
        )
    )


# A waiting list entry has no booking until its offer is accepted, so it has its own pair.
# Arguments: entry (a WaitlistEntry) / entry_id, event (e.g. "waitlist_offered"), reason.
waitlist_recorded = Signal()
waitlist_event = Signal()


def emit_waitlist(entry, event: str, reason: str = "") -> None:
    waitlist_recorded.send(sender="booking", entry=entry, event=event, reason=reason)
    entry_id = entry.pk
    transaction.on_commit(
        lambda: waitlist_event.send(sender="booking", entry_id=entry_id, event=event, reason=reason)
    )
