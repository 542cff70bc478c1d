"""Who may book what: qualifications granted by coordinators and accepted policy versions."""

import datetime

from django.conf import settings
from django.db import models


class Qualification(models.Model):
    """A coordinator's statement that a user may use a resource, until an optional expiry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.CASCADE, related_name="qualifications"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_on = models.DateField(null=True, blank=True, help_text="Empty for no expiry.")
    unsupervised = models.BooleanField(
        default=True,
        help_text="May work alone. Untick while the user still needs a trained person present; "
        "approval rules can then ask for approval of their bookings.",
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["resource", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="qualification_unique_per_resource"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.resource}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.expires_on is None or day <= self.expires_on


class PolicyAcceptance(models.Model):
    """A user accepted one published version (revision) of a policy page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances"
    )
    policy = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="acceptances"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "revision"], name="policy_acceptance_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.policy} (version {self.revision_id})"
