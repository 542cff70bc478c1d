from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Approvals and notifications"

    def ready(self) -> None:
        self.connect_approvals()
        self.connect_notifications()

    def connect_approvals(self) -> None:
        from booking import approval
        from booking.events import booking_recorded

        from . import approvals, matching

        # Coordinators' approval rules decide which bookings wait for approval.
        approval.register(matching.approval_reasons)
        # The booking form says who would approve, from the chain a request would get.
        approval.set_chain_provider(approvals.chain_labels)
        # Inside the booking's transaction: open or close its approval request.
        booking_recorded.connect(
            approvals.on_booking_recorded, dispatch_uid="workflows.approvals.on_booking_recorded"
        )

    def connect_notifications(self) -> None:
        """Booking events and reporting's announcements write messages to the outbox in the
        changing transaction."""
        from django.db.models.signals import post_delete, post_save

        from booking.events import booking_recorded, waitlist_recorded
        from labitory.announcements import statements_ready

        from . import booking_messages, report_messages, wording

        booking_recorded.connect(
            booking_messages.on_booking_recorded, dispatch_uid="workflows.booking_messages"
        )
        waitlist_recorded.connect(
            booking_messages.on_waitlist_recorded, dispatch_uid="workflows.waitlist_messages"
        )
        statements_ready.connect(
            report_messages.on_statements_ready, dispatch_uid="workflows.report_messages"
        )
        # Staff's wording is cached; a saved or deleted template takes effect at once.
        for signal in (post_save, post_delete):
            signal.connect(
                wording.forget_all_wording,
                sender="workflows.MessageTemplate",
                dispatch_uid=f"workflows.forget_wording.{signal}",
            )
