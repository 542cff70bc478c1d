"""Statements: the PDF of one period for one project or one department, made by a task."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from labitory.storage import private_storage

from .periods import BillingPeriod
from .rates import MONEY


def statement_file_name(statement: object, filename: str) -> str:
    """Where a statement's PDF is stored: a random name, so that knowing a project's code and
    a period does not name its file. People download it as `Statement.filename`."""
    return timezone.now().strftime("statements/%Y/%m/") + secrets.token_hex(16) + ".pdf"


class Statement(models.Model):
    """A rendered (or rendering) usage statement, with its status, progress and checksum."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    period = models.ForeignKey(BillingPeriod, on_delete=models.PROTECT, related_name="statements")
    project = models.ForeignKey(
        "people.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="statements"
    )
    department = models.ForeignKey(
        "people.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent rendered.")
    error = models.TextField(blank=True)
    # Private storage: no URL reaches it; reporting.views hands it out after the access check.
    file = models.FileField(storage=private_storage, upload_to=statement_file_name, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    pages = models.PositiveIntegerField(default=0)
    line_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(**MONEY, null=True, blank=True)
    period_was_closed = models.BooleanField(
        default=False, help_text="Rendered after the period closed (final, not provisional)."
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rendered_at = models.DateTimeField(null=True, blank=True)
    # Bumped on each request: a task holding an older attempt leaves the row alone.
    attempt = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period__starts_on", "project__code", "department__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, department__isnull=True)
                | Q(project__isnull=True, department__isnull=False),
                name="statement_one_subject",
            ),
            models.UniqueConstraint(
                fields=["period", "project"],
                condition=Q(project__isnull=False),
                name="statement_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["period", "department"],
                condition=Q(department__isnull=False),
                name="statement_once_per_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.label} · {self.subject_label}"

    @property
    def number(self) -> str:
        """The statement's number, quoted on invoices and in questions: 'ST-2026-10-00042'.
        Stable across re-runs (the same row is rendered again)."""
        return f"ST-{self.period.code}-{self.pk:05d}"

    @property
    def subject_label(self) -> str:
        if self.project_id:
            return _("Project %(code)s") % {"code": self.project.code}
        return _("Department %(name)s") % {"name": self.department.name}

    @property
    def filename(self) -> str:
        subject = self.project.code if self.project_id else self.department.code
        return f"statement-{self.period.code}-{subject}.pdf"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
