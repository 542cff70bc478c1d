"""Every change to booking state, one module per noun. Views, forms, the API, the admin and
tasks call these and nothing else."""

from .bookings import (
    BookingRefused,
    IllegalTransition,
    cancel_booking,
    change_booking,
    request_booking,
    transition,
)
from .series import Occurrence, book_series, cancel_series, preview_series

__all__ = [
    "BookingRefused",
    "IllegalTransition",
    "Occurrence",
    "book_series",
    "cancel_booking",
    "cancel_series",
    "change_booking",
    "preview_series",
    "request_booking",
    "transition",
]
