"""The outbox: one row per message to one recipient, and what each person wants to receive.

A message is recorded in the transaction of the change that caused it (its event and the
context to word it from), then written out and delivered by a task (workflows.delivery).
Its `key` is unique, so the same event never yields two rows for
one recipient, and its Message-ID is derived from the key, so a resend is recognisably the
same message.
"""

import base64
import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from wagtail.search import index


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        max_length=200, unique=True, help_text="One per event and recipient; never reused."
    )
    event = models.CharField(max_length=50, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    address = models.EmailField(help_text="Copied at enqueue time: the address it was sent to.")
    # What the message is worded from, as recorded with the change (workflows.frozen); the
    # words and files below are written from it once, by the worker, just before sending.
    context = models.JSONField(default=dict, blank=True)
    written_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}], small files such as an .ics.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(help_text="When delivery is next due, while pending.")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    # Nothing refers to a message; indexing its recipient would cost queries on every write.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "outbox message"
        indexes = [
            # The sweeper's query: pending messages whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
        ]

    def __str__(self) -> str:
        from workflows.notifications import EVENTS

        spec = EVENTS.get(self.event)
        return f"{spec.label if spec else self.event} to {self.address}"

    @property
    def message_id(self) -> str:
        """A stable RFC 5322 Message-ID: every (re)send of this row carries the same one.

        Hashed, because a key may hold characters (such as ':') that email parsers cut at.
        """
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        return f"<{self.event}.{digest}@{message_id_domain()}>"

    def attachment_files(self) -> list[tuple[str, bytes, str]]:
        return [
            (item["filename"], base64.b64decode(item["content"]), item["mimetype"])
            for item in self.attachments
        ]


def message_id_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "labitory"


def encode_attachment(filename: str, content: bytes | str, mimetype: str) -> dict:
    if isinstance(content, str):
        content = content.encode()
    return {
        "filename": filename,
        "mimetype": mimetype,
        "content": base64.b64encode(content).decode("ascii"),
    }


class NotificationPreferences(models.Model):
    """What one person wants by email. No row means the defaults below."""

    DEFAULT_REMINDER_HOURS = 24
    REMINDER_CHOICES = [
        (0, "No reminders"),
        (1, "1 hour before"),
        (2, "2 hours before"),
        (6, "6 hours before"),
        (24, "24 hours before (a day)"),
        (48, "48 hours before (two days)"),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    reminder_hours = models.PositiveSmallIntegerField(
        choices=REMINDER_CHOICES,
        default=DEFAULT_REMINDER_HOURS,
        help_text="How long before a booking starts to send a reminder; 0 turns them off.",
    )
    # Topic codes (workflows.notifications.TOPICS) the person has turned off.
    muted_topics = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "notification preferences"
        verbose_name_plural = "notification preferences"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class MessageTemplate(index.Indexed, models.Model):
    """Staff's wording for one event, replacing the default templates shipped in files."""

    event = models.CharField(
        max_length=50,
        unique=True,
        help_text="The message this wording is for. Each event has at most one.",
    )
    subject = models.CharField(
        max_length=255, help_text="One line; Django template syntax, e.g. {{ booking.resource }}."
    )
    text_body = models.TextField(help_text="The plain-text message; Django template syntax.")
    html_body = models.TextField(
        blank=True,
        help_text="Optional HTML for the message's body (inside the standard header and "
        "footer). Leave empty to show the plain text as paragraphs.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [index.SearchField("event"), index.SearchField("subject")]

    class Meta:
        ordering = ["event"]
        verbose_name = "message wording"
        verbose_name_plural = "message wording"

    def __str__(self) -> str:
        from workflows.notifications import EVENTS

        spec = EVENTS.get(self.event)
        return spec.label if spec else self.event
