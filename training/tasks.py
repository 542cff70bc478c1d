"""Training's periodic work for Celery, on the maintenance queue: thin wrappers."""

import datetime

from celery import shared_task

from .expiry import remind_expiring


@shared_task(name="training.tasks.training_expiry_task")
def training_expiry_task(now: str | None = None) -> int:
    """Daily: renewals by recent use and reminders before expiry; `now` (ISO) stands in for
    the clock."""
    return remind_expiring(now=datetime.datetime.fromisoformat(now) if now else None)
