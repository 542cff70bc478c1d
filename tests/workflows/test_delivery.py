"""workflows.delivery: one message by SMTP, with back-off after temporary failures, failed at
once on a permanent refusal, and never sent by two workers at once."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from workflows import delivery
from workflows.delivery import Outcome, backoff, deliver
from workflows.models import OutboxMessage
from workflows.outbox import CannotRetry, enqueue, retry_message

from .smtp import SmtpSink, free_port

pytestmark = pytest.mark.django_db

REPORT = {"title": "March statement", "url": "https://labitory.test/r/1", "count": 2}


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 5
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 600
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    return settings


@pytest.fixture
def sink(smtp_settings):
    server = SmtpSink(smtp_settings.EMAIL_PORT).start()
    yield server
    server.stop()


def report_for(user, key="report.1") -> OutboxMessage:
    return enqueue("report_ready", to=user, key=key, context=REPORT)


def test_a_message_arrives_with_text_html_and_its_message_id(sink, booker):
    message = report_for(booker)

    assert deliver(message.pk) == Outcome.SENT

    [received] = sink.received
    assert received.recipients == ["bea.booker@example.org"]
    assert received.message["Subject"] == "Ready: March statement"
    assert received.message["Message-ID"] == message.message_id
    assert received.message["Auto-Submitted"] == "auto-generated"
    text = received.message.get_body(("plain",)).get_content()
    html = received.message.get_body(("html",)).get_content()
    assert "March statement: ready to download (2 lines)." in text
    assert 'href="https://labitory.test/r/1"' in html
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1 and message.sent_at is not None


def test_a_sent_message_is_not_sent_again(sink, booker):
    message = report_for(booker)
    deliver(message.pk)

    assert deliver(message.pk) == Outcome.SKIPPED
    assert len(sink.received) == 1


def test_an_unreachable_server_leaves_it_pending_with_a_growing_back_off(smtp_settings, booker):
    message = report_for(booker)
    now = timezone.now()

    assert deliver(message.pk, now=now) == Outcome.RETRY
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == now + datetime.timedelta(seconds=30)

    assert deliver(message.pk, now=now) == Outcome.SKIPPED  # not due yet
    later = now + datetime.timedelta(seconds=31)
    assert deliver(message.pk, now=later) == Outcome.RETRY
    message.refresh_from_db()
    assert message.next_attempt_at == later + datetime.timedelta(seconds=60)


def test_it_fails_after_the_last_attempt(smtp_settings, booker):
    message = report_for(booker)
    moment = timezone.now()
    outcomes = []
    for _ in range(3):
        outcomes.append(deliver(message.pk, now=moment))
        moment += datetime.timedelta(hours=1)

    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 3


def test_the_back_off_doubles_up_to_its_cap(settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 30
    settings.NOTIFICATIONS_RETRY_MAX_SECONDS = 300

    assert [backoff(n).total_seconds() for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_a_temporary_refusal_is_retried(sink, booker):
    sink.handler.reply = "451 Try again later"
    message = report_for(booker)

    assert deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    assert "451" in message.last_error


def test_a_permanent_refusal_fails_at_once(sink, booker):
    sink.handler.reply = "550 No such mailbox"
    message = report_for(booker)

    assert deliver(message.pk) == Outcome.FAILED
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error


def test_a_failed_message_can_be_retried_by_staff(sink, booker, site_admin):
    sink.handler.reply = "550 No such mailbox"
    message = report_for(booker)
    deliver(message.pk)
    sink.handler.reply = "250 OK"

    retry_message(message, by=site_admin)
    assert deliver(message.pk) == Outcome.SENT

    assert len(sink.received) == 1


def test_a_pending_message_cannot_be_retried(booker, site_admin):
    message = report_for(booker)

    with pytest.raises(CannotRetry, match="this one is pending"):
        retry_message(message, by=site_admin)


def test_the_sweeper_finds_overdue_pending_messages_only(booker):
    now = timezone.now()
    overdue = report_for(booker, "a")
    fresh = report_for(booker, "b")
    sent = report_for(booker, "c")
    OutboxMessage.objects.filter(pk__in=[overdue.pk, sent.pk]).update(
        next_attempt_at=now - datetime.timedelta(minutes=5)
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.SENT)

    due = delivery.due_messages(now=now, grace=datetime.timedelta(minutes=2), limit=10)

    assert due == [overdue.pk]
    assert fresh.pk not in due


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite has none"
)
def test_a_message_another_worker_is_sending_is_skipped(sink, booker):
    message = report_for(booker)
    locked = threading.Event()
    release = threading.Event()

    def other_worker():
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=message.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)
    try:
        assert deliver(message.pk) == Outcome.SKIPPED
    finally:
        release.set()
        thread.join()
    assert sink.received == []


def test_a_crash_after_the_server_took_it_resends_the_same_message_id(sink, booker, monkeypatch):
    """The one double left (see workflows.delivery): the SMTP server said 250, then the
    worker died before its commit. The copy that follows is recognisably the same message."""
    message = report_for(booker)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed between the 250 reply and the commit")

    with monkeypatch.context() as patch:
        patch.setattr(OutboxMessage, "save", crash)
        with pytest.raises(KeyboardInterrupt):
            deliver(message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.PENDING

    assert deliver(message.pk) == Outcome.SENT
    first, second = sink.received
    assert first.message_id == second.message_id == message.message_id
