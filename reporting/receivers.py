"""Reporting's reactions to booking events, connected in ReportingConfig.ready()."""

from booking.models import Booking

# The statuses after which a booking may owe something.
CHARGEABLE_EVENTS = frozenset(
    {Booking.Status.COMPLETED, Booking.Status.NO_SHOW, Booking.Status.CANCELLED}
)


def record_usage_of(sender, *, booking_id: int, event: str, **kwargs) -> None:
    """Sent after commit: make the booking's usage record (idempotent) in a task."""
    if event in CHARGEABLE_EVENTS:
        from .tasks import record_usage_task

        record_usage_task.delay(booking_id)
