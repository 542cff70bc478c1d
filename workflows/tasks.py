"""Celery tasks of the workflows app: thin wrappers over the services, ids as arguments.

`deliver_message_task` runs on the `notifications` queue (the `workflows.tasks.*` route);
the periodic jobs (reminders, the outbox sweep, approval time-keeping) are routed by exact
name to `maintenance` and run from beat.
"""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from workflows import approvals, delivery, reminders


@shared_task(bind=True, name="workflows.tasks.deliver_message_task", max_retries=None)
def deliver_message_task(self, message_id: int) -> str:
    """Send one outbox message; after a temporary failure, try again when its back-off ends.

    The row (not Celery's retry count) is the record of attempts: a retry scheduled here and
    one queued by the sweeper meet at the row lock, and only one sends.
    """
    outcome = delivery.deliver(message_id)
    if outcome == delivery.Outcome.RETRY and not self.request.is_eager:
        due = delivery.OutboxMessage.objects.get(pk=message_id).next_attempt_at
        countdown = max((due - timezone.now()).total_seconds(), 0)
        raise self.retry(countdown=countdown)
    return outcome.value


@shared_task(name="workflows.tasks.sweep_outbox_task")
def sweep_outbox_task() -> int:
    """Queue every pending message whose delivery is overdue; returns how many."""
    ids = delivery.due_messages(
        now=timezone.now(),
        grace=datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS),
        limit=1000,
    )
    for message_id in ids:
        deliver_message_task.delay(message_id)
    return len(ids)


@shared_task(name="workflows.tasks.send_booking_reminders_task")
def send_booking_reminders_task() -> int:
    """Write the reminders that are due; returns how many were new."""
    return reminders.enqueue_due_reminders(now=timezone.now())


@shared_task(name="workflows.tasks.approval_reminders_task")
def approval_reminders_task() -> int:
    return approvals.send_reminders()


@shared_task(name="workflows.tasks.escalate_approvals_task")
def escalate_approvals_task() -> int:
    return approvals.escalate_overdue()


@shared_task(name="workflows.tasks.expire_approvals_task")
def expire_approvals_task() -> int:
    return approvals.expire_overdue()
