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
