from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Approvals and notifications"

    def ready(self) -> None:
        from booking import approval
        from booking.events import booking_recorded

        from . import approvals, matching

        # Coordinators' approval rules decide which bookings wait for approval.
        approval.register(matching.approval_reasons)
        # Inside the booking's transaction: open or close its approval request.
        booking_recorded.connect(
            approvals.on_booking_recorded, dispatch_uid="workflows.approvals.on_booking_recorded"
        )
