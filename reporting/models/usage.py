"""Usage records: what one booking charged, priced once and then kept as it was."""

from django.conf import settings
from django.db import models

from people.models import User

from .periods import BillingPeriod
from .rates import MONEY, RateCard


class UsageRecord(models.Model):
    """One charge line: a completed booking, a no-show or a late cancellation.

    The booking's people, project, department, times and the rate card's figures are copied
    here when the record is made, so a statement never depends on rows that change later.
    `amount` is empty when no rate card applied: such a line is unpriced, listed loudly, and
    its period cannot close until finance adds the missing card and reprices it.
    """

    class Kind(models.TextChoices):
        USAGE = "usage", "Usage"
        NO_SHOW = "no_show", "No-show"
        LATE_CANCELLATION = "late_cancellation", "Late cancellation"
        TRAINING = "training", "Training session"

    booking = models.ForeignKey(
        "booking.Booking", on_delete=models.PROTECT, related_name="usage_records"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    period = models.ForeignKey(
        BillingPeriod, on_delete=models.PROTECT, related_name="usage_records"
    )
    resource = models.ForeignKey("booking.Resource", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_category = models.CharField(max_length=20, choices=User.Category.choices)
    project = models.ForeignKey(
        "people.Project", on_delete=models.PROTECT, related_name="usage_records"
    )
    department = models.ForeignKey(
        "people.Department", on_delete=models.PROTECT, related_name="usage_records"
    )
    start = models.DateTimeField(help_text="Start of the billed time.")
    end = models.DateTimeField(help_text="End of the billed time.")
    billed_minutes = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=8, decimal_places=2)
    rate_card = models.ForeignKey(
        RateCard, null=True, blank=True, on_delete=models.PROTECT, related_name="usage_records"
    )
    hourly_rate = models.DecimalField(**MONEY, null=True, blank=True)
    amount = models.DecimalField(**MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["period", "project"], name="usage_period_project"),
            models.Index(fields=["period", "department"], name="usage_period_department"),
            models.Index(fields=["resource", "start"], name="usage_resource_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="usage_once_per_booking_kind"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="usage_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.resource} · {self.start:%Y-%m-%d}"

    @property
    def is_priced(self) -> bool:
        return self.amount is not None
