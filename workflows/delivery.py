"""Delivering one outbox message by email, exactly once as far as an SMTP server allows.

The message is worded (workflows.outbox.write) under the row's lock just before its first
send and saved with the outcome; a message whose booking or recipient was deleted before
then cannot be worded and is failed, with the reason.

`deliver` locks the message's row (SELECT ... FOR UPDATE SKIP LOCKED) for the whole send and
marks it sent in the same transaction, so two workers handed the same message (a redelivered
task, a sweep) never both send it: the second skips a locked row, or finds it sent.

Where a double can still happen: a worker killed, or its database connection lost, after the
SMTP server's final 250 reply to DATA and before the transaction marking the row sent commits.
The row is still pending, and a later attempt sends it again. No protocol can close that gap
(the SMTP server and the database cannot commit together). It is harmless for the many mail
systems and clients that de-duplicate by Message-ID, because every attempt carries the same
Message-ID, derived from the row's unique key (OutboxMessage.message_id); elsewhere the
recipient sees the same message twice, never two different ones.

Failures: a connection error, a timeout (EMAIL_TIMEOUT) or a 4xx reply is temporary: the row
stays pending with its next attempt after an exponential back-off
(NOTIFICATIONS_RETRY_BASE_SECONDS * 2**(attempt-1), capped), and is failed after
NOTIFICATIONS_MAX_ATTEMPTS. A 5xx reply (address refused) fails it at once. Site admins see
failed messages in the admin's outbox and can send them again.
"""

import datetime
import enum
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from workflows.frozen import Gone
from workflows.models import OutboxMessage
from workflows.outbox import write

logger = logging.getLogger(__name__)
EARLY = datetime.timedelta(seconds=1)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # a temporary failure; the next attempt is due at next_attempt_at
    FAILED = "failed"
    SKIPPED = "skipped"  # gone, already sent or failed, not yet due, or another worker has it


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the `attempts`-th failed attempt."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATIONS_RETRY_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def email_for(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        to=[message.address],
        headers={
            "Message-ID": message.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Labitory-Event": message.event,
        },
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for filename, content, mimetype in message.attachment_files():
        email.attach(filename, content, mimetype)
    return email


def is_permanent(error: OSError) -> bool:
    """A 5xx reply refuses this message for good; anything else may pass on a later try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


# What `write` fills in; saved with the first attempt's outcome, whatever it is.
WRITTEN = ["subject", "text_body", "html_body", "attachments", "written_at"]


def _record_failure(message: OutboxMessage, error: OSError, now: datetime.datetime) -> Outcome:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if is_permanent(error) or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.FAILED
        outcome = Outcome.FAILED
        logger.warning("Outbox message %s failed for good: %s", message.pk, message.last_error)
    else:
        message.next_attempt_at = now + backoff(message.attempts)
        outcome = Outcome.RETRY
    message.save(update_fields=[*WRITTEN, "attempts", "last_error", "status", "next_attempt_at"])
    return outcome


def deliver(message_id: int, *, now: datetime.datetime | None = None) -> Outcome:
    """Send the pending message `message_id` if it is due; record the outcome on its row."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=message_id,
                status=OutboxMessage.Status.PENDING,
                # A task retried after exactly the back-off may start a moment early.
                next_attempt_at__lte=now + EARLY,
            )
            .first()
        )
        if message is None:
            return Outcome.SKIPPED
        try:
            write(message)
        except Gone as error:
            return _record_unwritable(message, error)
        try:
            email_for(message).send()
        except OSError as error:  # smtplib's errors, refused connections and timeouts
            return _record_failure(message, error, now)
        message.status = OutboxMessage.Status.SENT
        message.attempts += 1
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=[*WRITTEN, "status", "attempts", "sent_at", "last_error"])
        return Outcome.SENT


def _record_unwritable(message: OutboxMessage, error: Gone) -> Outcome:
    message.status = OutboxMessage.Status.FAILED
    message.last_error = f"Cannot be written: {error}."
    message.save(update_fields=["status", "last_error"])
    logger.warning("Outbox message %s failed for good: %s", message.pk, message.last_error)
    return Outcome.FAILED


def due_messages(*, now: datetime.datetime, grace: datetime.timedelta, limit: int) -> list[int]:
    """Pending messages whose next attempt was due more than `grace` ago: their task was lost
    (a broker hiccup at commit, a purged queue) or never made (eager mode)."""
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now - grace
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
