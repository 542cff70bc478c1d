"""The outbox's Celery tasks: registered, routed to their queues, scheduled, and thin."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from labitory.celery import app
from workflows.models import OutboxMessage
from workflows.outbox import enqueue
from workflows.tasks import deliver_message_task, send_booking_reminders_task, sweep_outbox_task

REPORT = {"title": "March statement", "url": "https://labitory.test/r/1", "count": 2}


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_delivery_runs_on_the_notifications_queue():
    assert queue_of("workflows.tasks.deliver_message_task") == "notifications"


@pytest.mark.parametrize(
    "name", ["workflows.tasks.sweep_outbox_task", "workflows.tasks.send_booking_reminders_task"]
)
def test_the_periodic_jobs_run_on_the_maintenance_queue(name):
    assert name in app.tasks
    assert queue_of(name) == "maintenance"


def test_beat_runs_the_sweeper_and_the_reminders():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    ours = {"workflows.tasks.sweep_outbox_task", "workflows.tasks.send_booking_reminders_task"}

    assert ours <= scheduled
    assert ours <= set(app.tasks)


@pytest.mark.django_db
def test_the_delivery_task_sends_and_reports_the_outcome(booker, eager_tasks):
    message = enqueue("report_ready", to=booker, key="r.1", context=REPORT)

    assert deliver_message_task.delay(message.pk).get() == "sent"
    assert [m.subject for m in mail.outbox] == ["Ready: March statement"]
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id


@pytest.mark.django_db
def test_the_sweeper_sends_what_was_left_pending(booker, eager_tasks, settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 60
    left = enqueue("report_ready", to=booker, key="r.1", context=REPORT)
    enqueue("report_ready", to=booker, key="r.2", context=REPORT)
    OutboxMessage.objects.filter(pk=left.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert sweep_outbox_task.delay().get() == 1
    assert OutboxMessage.objects.get(pk=left.pk).status == OutboxMessage.Status.SENT
    assert OutboxMessage.objects.get(key="r.2").status == OutboxMessage.Status.PENDING


@pytest.mark.django_db
def test_the_reminder_task_writes_nothing_when_nothing_is_due(eager_tasks):
    assert send_booking_reminders_task.delay().get() == 0
