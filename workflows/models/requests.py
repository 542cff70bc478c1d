"""A booking waiting for approval: its chain, the step it is at, and each approver's task.

A booking has at most one request waiting at a time; a change to the booking closes it as
superseded and opens a fresh one, so a booking keeps the history of every request it had.
"""

import secrets

from django.conf import settings
from django.db import models


class ApprovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Replaced after a change"

    booking = models.ForeignKey(
        "booking.Booking", on_delete=models.CASCADE, related_name="approval_requests"
    )
    rule = models.ForeignKey(
        "workflows.ApprovalRule", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Copied when opened, so that editing a rule never changes a request in flight.
    rule_name = models.CharField(max_length=200)
    reasons = models.JSONField(default=list)
    chain = models.JSONField(default=list, help_text="The steps as they were when opened.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.PositiveSmallIntegerField(default=1)
    step_started_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    escalate_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]  # a booking's latest request first
        indexes = [models.Index(fields=["status", "remind_at"], name="approval_pending_remind")]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(status="pending"),
                name="one_waiting_request_per_booking",
            )
        ]

    def __str__(self) -> str:
        return f"Approval of {self.booking}"

    @property
    def step_count(self) -> int:
        return len(self.chain)

    @property
    def current_step(self) -> dict:
        return self.chain[self.step - 1]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


def new_link_nonce() -> str:
    return secrets.token_urlsafe(16)


class ApprovalTask(models.Model):
    """One approver's part in one step. The email link works while `link_nonce` is set."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "No longer needed"

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="tasks")
    step = models.PositiveSmallIntegerField()
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approval_tasks"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Set when the approver stands in for a delegator.",
    )
    added_by_escalation = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    link_nonce = models.CharField(max_length=32, blank=True, default=new_link_nonce)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "step", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "step", "approver"], name="approval_task_once_per_step"
            )
        ]
        indexes = [models.Index(fields=["approver", "decision"], name="approval_task_inbox")]

    def __str__(self) -> str:
        return f"Step {self.step} of {self.request} for {self.approver}"

    @property
    def is_open(self) -> bool:
        return self.decision == self.Decision.PENDING and self.request.is_pending
