from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = "Booking"

    def ready(self) -> None:
        from . import receivers
        from .events import booking_event

        # Freed time goes to the first in line on the waiting list.
        booking_event.connect(receivers.offer_freed_time, dispatch_uid="booking.offer_freed_time")
