"""Billing periods (a calendar month each) and the adjustment lines that correct them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from labitory.dates import month_year

from .rates import MONEY


class BillingPeriod(models.Model):
    """A month of usage. Open while usage accrues; once finance closes it, nothing in it
    changes again: corrections become adjustments in an open period."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    starts_on = models.DateField(unique=True, help_text="The first day of the month.")
    ends_on = models.DateField(help_text="The last day of the month.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="period_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """'October 2026' ('Oktober 2026' in German)."""
        return month_year(self.starts_on)

    @property
    def code(self) -> str:
        """'2026-10', as the command line names it."""
        return f"{self.starts_on:%Y-%m}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Adjustment(models.Model):
    """A correction in an open period: a signed amount against a project, with a reason and
    its author. The only way to change what a closed period charged."""

    period = models.ForeignKey(BillingPeriod, on_delete=models.PROTECT, related_name="adjustments")
    project = models.ForeignKey(
        "people.Project", on_delete=models.PROTECT, related_name="adjustments"
    )
    resource = models.ForeignKey(
        "booking.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The instrument the correction is about, if any.",
    )
    corrects = models.ForeignKey(
        "reporting.UsageRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        help_text="The usage line being corrected, if any.",
    )
    amount = models.DecimalField(
        **MONEY, help_text="Positive charges more, negative refunds (e.g. -42.50)."
    )
    reason = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="adjustment_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.amount:+} ({self.reason})"
