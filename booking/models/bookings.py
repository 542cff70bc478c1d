"""Bookings and their life cycle. Every status change goes through booking/services.py."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q

from booking.constraints import PostgresExclusionConstraint


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()


class Booking(models.Model):
    """Who holds which resource when, and which project pays."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        CHECKED_IN = "checked_in", "Checked in"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"

    # Statuses that occupy the resource: nobody else may take that time.
    HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN)

    # The only legal moves; services.transition() refuses anything else.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.REQUESTED: (Status.CONFIRMED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED),
        Status.CONFIRMED: (Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED),
        Status.CHECKED_IN: (Status.COMPLETED,),
        Status.REJECTED: (),
        Status.CANCELLED: (),
        Status.EXPIRED: (),
        Status.COMPLETED: (),
        Status.NO_SHOW: (),
    }

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    project = models.ForeignKey("people.Project", on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    # Copied from the resource when booked: the exclusion constraint covers capacity-1 bookings.
    exclusive = models.BooleanField(default=True, editable=False)
    series = models.UUIDField(null=True, blank=True, db_index=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    late_cancellation = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["resource", "start", "end"], name="booking_resource_time"),
            models.Index(fields=["user", "start"], name="booking_user_start"),
            models.Index(fields=["status", "start"], name="booking_status_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="booking_ends_after_start"
            ),
            PostgresExclusionConstraint(
                name="booking_no_overlap_on_exclusive_resources",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(exclusive=True, status__in=["requested", "confirmed", "checked_in"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def holds_slot(self) -> bool:
        return self.status in self.HOLDING

    @staticmethod
    def new_series_id() -> uuid.UUID:
        return uuid.uuid4()
