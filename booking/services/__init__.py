"""Every change to booking state, one module per noun. Views, forms, the API, the admin and
tasks call these and nothing else."""

from .bookings import (
    BookingRefused,
    IllegalTransition,
    cancel_booking,
    request_booking,
    transition,
)

__all__ = [
    "BookingRefused",
    "IllegalTransition",
    "cancel_booking",
    "request_booking",
    "transition",
]
