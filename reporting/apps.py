from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reports"

    def ready(self) -> None:
        from booking.estimates import set_estimate_provider
        from booking.events import booking_event

        from . import receivers
        from .pricing import estimate_booking

        # A finished, no-show or late-cancelled booking gets its usage record.
        booking_event.connect(receivers.record_usage_of, dispatch_uid="reporting.record_usage")
        # The booking form shows what a booking would cost, priced by the one function.
        set_estimate_provider(estimate_booking)
