"""Celery tasks of the workflows app: thin wrappers over the services.

Approval time-keeping runs from beat on the maintenance queue (exact routes in settings).
"""

from celery import shared_task

from . import approvals


@shared_task(name="workflows.tasks.approval_reminders_task")
def approval_reminders_task() -> int:
    return approvals.send_reminders()


@shared_task(name="workflows.tasks.escalate_approvals_task")
def escalate_approvals_task() -> int:
    return approvals.escalate_overdue()


@shared_task(name="workflows.tasks.expire_approvals_task")
def expire_approvals_task() -> int:
    return approvals.expire_overdue()
