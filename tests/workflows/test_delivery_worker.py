"""Real parts: a Celery worker process on Redis and PostgreSQL delivers the outbox to an SMTP
server on loopback, through a stopped server and a worker killed mid-send, exactly once."""

import collections
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import icalendar
import pytest
import redis
from django.utils import timezone

from booking.services import request_booking
from labitory.celery import app
from tests.workers import ON_POSTGRES_WITH_REDIS, database_url
from workflows.models import OutboxMessage

from .smtp import SmtpSink

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 10  # seconds, for these workers only (production: an hour)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRES_WITH_REDIS,
        reason="needs Redis and PostgreSQL (a worker cannot share an in-memory SQLite database)",
    ),
]


def empty_the_queues() -> None:
    """Tasks that other tests queued (for rows that no longer exist) are not this test's."""
    app.control.purge()
    broker = redis.Redis.from_url(app.conf.broker_url)
    broker.delete("unacked", "unacked_index", "unacked_mutex")


class Worker:
    """`celery worker` for the notifications queue, in its own process group."""

    def __init__(self, sink: SmtpSink):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "labitory.settings.test",
            "DATABASE_URL": database_url(),
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_TIMEOUT": "30",
            "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
            "NOTIFICATIONS_RETRY_MAX_SECONDS": "2",
            "NOTIFICATIONS_MAX_ATTEMPTS": "100",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        }
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "labitory", "worker",
                "-Q", "notifications", "--pool", "prefork", "--concurrency", "1",
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so a kill takes every process
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL the main process and its pool children at once: nothing gets to clean up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.collect()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        self.collect()

    def collect(self) -> None:
        if self.process is None:
            return
        try:
            output, _ = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            output, _ = self.process.communicate()
        self.output.append(output.decode(errors="replace"))
        self.process = None

    def assert_alive(self) -> None:
        assert self.process is not None and self.process.poll() is None, "the worker exited"


@pytest.fixture
def sink():
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def workers(sink):
    empty_the_queues()
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(sink).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        print("".join(worker.output))
    empty_the_queues()


def book(instrument, booker, project, day: int):
    """A confirmed booking `day` days ahead at 10:00, committed (its message is queued)."""
    start = (timezone.now() + datetime.timedelta(days=day)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )


def wait_until(condition, timeout: float, worker: Worker | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None:
            worker.assert_alive()
        time.sleep(0.2)
    raise AssertionError(f"not true after {timeout} s")


def all_sent() -> bool:
    return not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_a_worker_delivers_the_confirmation_with_text_html_and_calendar_file(
    workers, sink, instrument, booker, project
):
    worker = workers()
    booking = book(instrument, booker, project, day=2)

    [received] = sink.wait_for(1, timeout=60)

    message = OutboxMessage.objects.get()
    assert received.recipients == [booker.email]
    assert received.message_id == message.message_id
    assert received.message["Subject"].strip().startswith("Confirmed: Confocal LSM 980")
    assert "Project: BIO-2041" in received.message.get_body(("plain",)).get_content()
    assert "See the booking" in received.message.get_body(("html",)).get_content()
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == f"booking-{booking.pk}.ics"
    assert attachment.get_content_type() == "text/calendar"
    [event] = icalendar.Calendar.from_ical(attachment.get_content()).events
    assert event["UID"] == f"booking-{booking.pk}@labitory"
    assert event.start == booking.start
    wait_until(all_sent, timeout=10, worker=worker)


def test_messages_written_while_the_smtp_server_is_down_arrive_once_it_is_back(
    workers, sink, instrument, booker, project
):
    sink.stop()
    worker = workers()
    for day in range(1, 6):
        book(instrument, booker, project, day=day)

    # Every message has been tried, and refused, at least twice while the server was down.
    wait_until(
        lambda: OutboxMessage.objects.filter(attempts__gte=2, last_error__contains="Refused")
        .count() == 5,
        timeout=60,
        worker=worker,
    )  # fmt: skip
    assert sink.received == []
    sink.start()

    received = sink.wait_for(5, timeout=30)
    wait_until(all_sent, timeout=10, worker=worker)
    time.sleep(3)  # longer than the longest back-off: a late duplicate would have arrived

    ids = collections.Counter(item.message_id for item in sink.received)
    assert len(received) == 5
    assert set(ids) == set(m.message_id for m in OutboxMessage.objects.all())
    assert set(ids.values()) == {1}


def test_a_worker_killed_mid_send_loses_and_doubles_nothing(
    workers, sink, instrument, booker, project
):
    sink.handler.delay = 60  # the server sits on DATA; the worker waits in the send
    first = workers()
    book(instrument, booker, project, day=3)
    message = OutboxMessage.objects.get()

    assert sink.handler.data_started.wait(60), "the worker never reached DATA"
    first.kill()
    killed_at = time.monotonic()
    sink.handler.delay = 0
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING

    workers()
    received = sink.wait_for(1, timeout=VISIBILITY_TIMEOUT + 20)
    redelivered_after = time.monotonic() - killed_at

    assert [item.message_id for item in received] == [message.message_id]
    assert redelivered_after <= VISIBILITY_TIMEOUT + 20
    wait_until(all_sent, timeout=10)
    time.sleep(3)
    assert len(sink.received) == 1
    print(f"redelivered {redelivered_after:.1f} s after the kill")
