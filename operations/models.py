"""Problem reports: what someone found wrong with an instrument, and its triage."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from labitory.storage import private_storage


def attachment_name(report: object, filename: str) -> str:
    """A random stored name (knowing a report's number does not name its file); the original
    name is kept on the report for the download."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        timezone.now().strftime("problem-reports/%Y/%m/") + f"{secrets.token_hex(16)}.{extension}"
    )


class ProblemReport(models.Model):
    class Severity(models.TextChoices):
        MINOR = "minor", "Minor: it works, with a nuisance"
        MAJOR = "major", "Major: some work is impossible"
        CRITICAL = "critical", "Critical: unusable or unsafe"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        INVESTIGATING = "investigating", "Investigating"
        RESOLVED = "resolved", "Resolved"

    resource = models.ForeignKey(
        "booking.Resource", on_delete=models.PROTECT, related_name="problem_reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="problem_reports"
    )
    summary = models.CharField("what happened", max_length=200)
    details = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # Private: no URL reaches it; operations.views hands it to the reporter and lab staff.
    attachment = models.FileField(
        storage=private_storage, upload_to=attachment_name, blank=True, max_length=200
    )
    attachment_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_problem_reports",
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resource", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.resource}: {self.summary}"


class ReportComment(models.Model):
    """A note on a report by the lab's staff; the reporter reads them on the report's page."""

    report = models.ForeignKey(ProblemReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
