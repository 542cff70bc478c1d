"""An approver away for some days hands their approvals to someone else."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Delegation(models.Model):
    delegator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_given"
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations_received"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day included.")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="delegation_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(delegate=F("delegator")), name="delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate}, {self.starts_on} to {self.ends_on}"
