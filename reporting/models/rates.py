"""Rate cards: what an hour of a resource costs a user category, from one date to another."""

from decimal import Decimal

from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q

from booking.constraints import PostgresExclusionConstraint
from labitory.money import money
from people.models import User

MONEY = {"max_digits": 12, "decimal_places": 2}


class DateRange(Func):
    """A closed date range [from, to]; an open end is unbounded."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class RateCard(models.Model):
    """The price of a resource for one user category, in force from one date to another,
    for bookings or for training sessions (`kind`).

    Cards of one resource, kind and category never overlap in time (PostgreSQL enforces it; the
    admin form and the import say so first), so exactly one card prices any booking.
    """

    class Kind(models.TextChoices):
        BOOKING = "booking", "Bookings"
        TRAINING = "training", "Training sessions"

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.PROTECT, related_name="rate_cards"
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.BOOKING,
        help_text="What the card prices: bookings, or training sessions on the resource.",
    )
    category = models.CharField("user category", max_length=20, choices=User.Category.choices)
    hourly_rate = models.DecimalField(
        **MONEY, validators=[MinValueValidator(Decimal("0"))], help_text="Per hour, in pounds."
    )
    booking_fee = models.DecimalField(
        "per-booking fee", **MONEY, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    minimum_charge = models.DecimalField(
        **MONEY,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text="A booking never costs less than this (fee included).",
    )
    rounding_minutes = models.PositiveSmallIntegerField(
        "rounding increment (minutes)",
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
        help_text="Billed time is rounded up to a multiple of this.",
    )
    no_show_percent = models.DecimalField(
        "no-show charge (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the booked price charged for a no-show; 0 charges nothing.",
    )
    late_cancellation_percent = models.DecimalField(
        "late cancellation charge (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Share of the booked price charged for a late cancellation; 0 charges nothing.",
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Empty for open-ended.")

    class Meta:
        ordering = ["resource__name", "category", "-effective_from"]
        indexes = [models.Index(fields=["resource", "category", "effective_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="rate_card_ends_after_start",
                violation_error_message="A rate card cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(rounding_minutes__gte=1), name="rate_card_rounding_positive"
            ),
            PostgresExclusionConstraint(
                name="rate_card_no_overlap",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    ("kind", RangeOperators.EQUAL),
                    ("category", RangeOperators.EQUAL),
                    (DateRange("effective_from", "effective_to"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.effective_to:%d %b %Y}" if self.effective_to else "open-ended"
        return (
            f"{self.resource} · {self.get_category_display()} · {money(self.hourly_rate)}/h "
            f"from {self.effective_from:%d %b %Y} ({until})"
        )
