"""Bookings and their life cycle. Every status change goes through booking/services.py."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from booking.constraints import PostgresExclusionConstraint
from labitory.clock import facility_zone


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()


class Booking(models.Model):
    """Who holds which resource when, and which project pays."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")
        CHECKED_IN = "checked_in", _("Checked in")
        COMPLETED = "completed", _("Completed")
        NO_SHOW = "no_show", _("No-show")

    class Purpose(models.TextChoices):
        BOOKING = "booking", "Booking"
        # Time held for a training session (training/): the trainer holds it, the session
        # says who attends; it is never released as a no-show.
        TRAINING = "training", "Training session"

    # Statuses that occupy the resource: nobody else may take that time.
    HOLDING = (Status.REQUESTED, Status.CONFIRMED, Status.CHECKED_IN)

    # The only legal moves; services.transition() refuses anything else. A confirmed booking
    # goes back to requested only when a change to it needs approval (change_booking).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.REQUESTED: (Status.CONFIRMED, Status.REJECTED, Status.CANCELLED, Status.EXPIRED),
        Status.CONFIRMED: (
            Status.CHECKED_IN,
            Status.CANCELLED,
            Status.NO_SHOW,
            Status.COMPLETED,
            Status.REQUESTED,
        ),
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
    series = models.ForeignKey(
        "booking.BookingSeries",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    note = models.CharField(max_length=500, blank=True)
    # A database default too: rows written in plain SQL (imports, the constraint's tests) are
    # bookings unless they say otherwise.
    purpose = models.CharField(
        max_length=10,
        choices=Purpose.choices,
        default=Purpose.BOOKING,
        db_default=Purpose.BOOKING,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    late_cancellation = models.BooleanField(default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)

    # Bookings are never the target of "where is this used?" questions; skip that bookkeeping.
    wagtail_reference_index_ignore = True

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
        local = self.start.astimezone(facility_zone())
        return f"{self.resource} {local:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def holds_slot(self) -> bool:
        return self.status in self.HOLDING


class BookingSeries(models.Model):
    """Bookings made together from one RFC 5545 recurrence rule."""

    rule = models.CharField(
        max_length=300, help_text="The RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "booking series"

    def __str__(self) -> str:
        return self.rule


class WaitlistEntry(models.Model):
    """Someone waiting for a taken slot; offered it in turn when it frees."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.CASCADE, related_name="waitlist"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist"
    )
    project = models.ForeignKey("people.Project", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waiting list entries"
        indexes = [
            models.Index(fields=["resource", "status", "start"], name="waitlist_resource_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="waitlist_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.resource} at {self.start:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A secret-token ICS feed: a user's own bookings, or a resource's busy times.

    Only a SHA-256 of the token is stored; the token itself is shown once, in the URL.
    """

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("My bookings")
        RESOURCE = "resource", _("Resource busy times")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    resource = models.ForeignKey(
        "booking.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="personal", resource__isnull=True)
                | Q(kind="resource", resource__isnull=False),
                name="calendar_feed_resource_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "resource"], name="calendar_feed_one_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed of {self.owner}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class StaffBooking(models.Model):
    """A booking staff made for a researcher: who made it and which rules they set aside, why.

        The booking itself is the researcher's (their name, their project); this says it was not
        they who made it. `overridden` names the rules (booking.rules.OVERRIDABLE) the booking broke
    and was allowed to; the log entry of its creation holds the rule codes as well.
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="made_by_staff")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_made_for_others"
    )
    overridden = models.JSONField(default=list, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Booked by {self.staff} for {self.booking.user}"

    @property
    def overrides_text(self) -> str:
        """E.g. "overrode: notice — urgent sample"; empty when nothing was."""
        if not self.overridden:
            return ""
        names = ", ".join(name.replace("_", " ") for name in self.overridden)
        return f"overrode: {names} — {self.reason}"
