"""Booking events other apps react to (notifications, approvals, billing).

Sent after the transaction commits, with ids only, so receivers reload what they need.
"""

from django.db import transaction
from django.dispatch import Signal

# Arguments: booking_id, event (e.g. "requested", "confirmed", "cancelled"), reason.
booking_event = Signal()


def emit(booking_id: int, event: str, reason: str = "") -> None:
    transaction.on_commit(
        lambda: booking_event.send(
            sender="booking", booking_id=booking_id, event=event, reason=reason
        )
    )


# Arguments: entry_id (a WaitlistEntry), event (e.g. "waitlist_offered"), reason. A waiting
# list entry has no booking until its offer is accepted, so it has its own signal.
waitlist_event = Signal()


def emit_waitlist(entry_id: int, event: str, reason: str = "") -> None:
    transaction.on_commit(
        lambda: waitlist_event.send(sender="booking", entry_id=entry_id, event=event, reason=reason)
    )
