"""Booking events other apps react to (approvals, notifications, billing).

Each event is sent twice: `*_recorded` inside the transaction that made the change, so a
receiver's own writes (an approval request, outbox rows) commit or roll back with it; and
`*_event` after the commit, with ids only, for work that must not run on a change that
might still roll back (tasks, offers of freed time).

The change has committed by the time `*_event` is sent, so a receiver that fails there (a
broker that is down, refusing a task) is logged and the others still run; the periodic
sweeps pick up what it missed. It never turns the committed change into an error.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

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
        lambda: _send_committed(booking_event, booking_id=booking_id, event=event, reason=reason)
    )


def _send_committed(signal: Signal, **arguments) -> None:
    for receiver, outcome in signal.send_robust(sender="booking", **arguments):
        if isinstance(outcome, Exception):
            logger.error(
                "%s failed after commit (%s)",
                getattr(receiver, "__qualname__", receiver),
                arguments,
                exc_info=outcome,
            )


# A waiting list entry has no booking until its offer is accepted, so it has its own pair.
# Arguments: entry (a WaitlistEntry) / entry_id, event (e.g. "waitlist_offered"), reason.
waitlist_recorded = Signal()
waitlist_event = Signal()


def emit_waitlist(entry, event: str, reason: str = "") -> None:
    waitlist_recorded.send(sender="booking", entry=entry, event=event, reason=reason)
    entry_id = entry.pk
    transaction.on_commit(
        lambda: _send_committed(waitlist_event, entry_id=entry_id, event=event, reason=reason)
    )
