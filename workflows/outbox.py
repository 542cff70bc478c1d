"""Recording messages in the outbox, in the transaction of the change that caused them.

`enqueue` is the one way any code sends a notification. It records the event and its context
in the caller's transaction (a change that rolls back leaves no message) and asks for delivery
only after the commit. A second enqueue with the same key is ignored, so retrying the caller's
work never repeats a message. The worker words the message (`write`) just before sending it:
the change itself pays only for one small row.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from wagtail.log_actions import log

from booking.ics import booking_ics
from labitory.i18n import language_of
from labitory.refusals import Refused
from people.models import User
from workflows import wording
from workflows.frozen import Gone, freeze, thaw
from workflows.models import OutboxMessage
from workflows.models.outbox import encode_attachment
from workflows.notifications import EVENTS, common_context, with_booking_details, worded
from workflows.permissions import why_not_retryable
from workflows.preferences import wants

logger = logging.getLogger(__name__)

ICS_MIMETYPE = "text/calendar"
_suppressed: ContextVar[bool] = ContextVar("outbox_suppressed", default=False)


@contextmanager
def suppressed() -> Iterator[None]:
    """Write no messages inside this block, e.g. while seeding demo data or importing history:
    nobody should be told about bookings they did not make."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


class CannotRetry(Refused):
    """Only a failed message can be sent again."""


@dataclass(frozen=True)
class Draft:
    """One message to write; `enqueue_many` takes several at once."""

    event: str
    to: User
    key: str
    context: dict


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > OutboxMessage._meta.get_field("key").max_length:
        raise ValueError(f"An outbox key must be 1 to 200 characters, not {key!r}.")
    return key


def _build(draft: Draft, now: datetime.datetime) -> OutboxMessage:
    return OutboxMessage(
        key=_check_key(draft.key),
        event=draft.event,
        recipient=draft.to,
        address=draft.to.email,
        context=freeze(draft.context),
        next_attempt_at=now,
    )


def write(message: OutboxMessage) -> OutboxMessage:
    """Word the message from its recorded context: subject, text, HTML and, for events that
    carry one, the booking's calendar file. Does not save. Raises Gone when something
    it refers to has been deleted since."""
    if message.written_at is not None:
        return message
    if message.recipient is None:
        raise Gone("the recipient's account no longer exists")
    # In the recipient's language, whatever language the change that caused it was made in.
    with translation.override(language_of(message.recipient)):
        context = {
            **common_context(message.recipient),
            **worded(with_booking_details(thaw(message.context))),
        }
        rendered = wording.render(message.event, context)
        if EVENTS[message.event].calendar_file:
            booking = context["booking"]
            ics = booking_ics(booking, sequence=context.get("sequence", 0))
            attachment = encode_attachment(f"booking-{booking.pk}.ics", ics, ICS_MIMETYPE)
            message.attachments = [attachment]
    message.subject = rendered.subject[:255]
    message.text_body, message.html_body = rendered.text, rendered.html
    message.written_at = timezone.now()
    return message


def _deliver_after_commit(message_ids: Iterable[int]) -> None:
    from workflows.tasks import deliver_message_task

    ids = list(message_ids)

    def queue() -> None:
        for message_id in ids:
            deliver_message_task.delay(message_id)

    # robust: a broker that is down must not fail the change that already committed; the
    # sweeper (sweep_outbox_task) queues the pending rows once it is back.
    transaction.on_commit(queue, robust=True)


def enqueue(event: str, *, to: User, key: str, context: dict) -> OutboxMessage | None:
    """Record one message for `to` in the current transaction; deliver it after the commit.

    Returns None, writing nothing, when `to` has turned this kind of message off (or has no
    active address), a message with this key exists, or inside `suppressed()`. `key` must be
    unique per event and recipient, e.g. f"booking.{booking.pk}.confirmed.user.{to.pk}".
    `context` holds what the event's wording may name (notifications.EVENTS), as values that
    workflows.frozen can record. Raises KeyError for an unknown event.
    """
    if event not in EVENTS:
        raise KeyError(f"Unknown notification event {event!r}.")
    if _suppressed.get() or not wants(to, event):
        return None
    message = _build(Draft(event, to, key, context), timezone.now())
    try:
        # A savepoint: a racing duplicate must not break the caller's transaction.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if OutboxMessage.objects.filter(key=message.key).exists():
            return None
        raise
    _deliver_after_commit([message.pk])
    return message


def enqueue_many(drafts: Iterable[Draft]) -> int:
    """Write many messages with a fixed number of queries; returns how many were new.

    Preferences are read from each recipient as loaded (select_related
    "notification_preferences" to avoid a query per person). Existing keys are skipped.
    """
    if _suppressed.get():
        return 0
    now = timezone.now()
    wanted = [draft for draft in drafts if wants(draft.to, draft.event)]
    keys = [_check_key(draft.key) for draft in wanted]
    existing = set(OutboxMessage.objects.filter(key__in=keys).values_list("key", flat=True))
    rows = [_build(draft, now) for draft in wanted if draft.key.strip() not in existing]
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    written = OutboxMessage.objects.filter(
        key__in=[row.key for row in rows], status=OutboxMessage.Status.PENDING, created_at__gte=now
    ).values_list("pk", flat=True)
    ids = list(written)
    _deliver_after_commit(ids)
    return len(ids)


def retry_message(message: OutboxMessage, *, by: User | None) -> OutboxMessage:
    """Send a failed message again: back to pending, due now, delivered after the commit."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if reason := why_not_retryable(message):
            raise CannotRetry("not_failed", reason)
        message.status = OutboxMessage.Status.PENDING
        message.attempts = 0  # a fresh series of tries with the usual back-off
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        log(instance=message, action="workflows.outbox.retried", user=by)
        _deliver_after_commit([message.pk])
    return message
