"""The booking app's own reactions to booking events, connected in BookingConfig.ready()."""

from booking.models import Booking
from booking.tasks import offer_freed_slot_task

# After these a booking no longer holds its time, which someone may be waiting for.
FREEING_EVENTS = frozenset(
    {
        Booking.Status.CANCELLED,
        Booking.Status.REJECTED,
        Booking.Status.EXPIRED,
        Booking.Status.NO_SHOW,
    }
)


def offer_freed_time(sender, *, booking_id: int, event: str, **kwargs) -> None:
    """Sent after commit: hand the freed time to the waiting list in a task."""
    if event in FREEING_EVENTS:
        offer_freed_slot_task.delay(booking_id)
