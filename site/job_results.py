"""The last outcome of each task, kept in the cache for the admin's Scheduled jobs list
("Succeeded", or "Failed: why"), recorded by the Celery signals below. The project keeps no
task results otherwise; a cache outage only blanks the column."""

import time

from celery.signals import task_failure, task_success
from django.core.cache import cache

KEY = "labitory:job-result:{}"
KEPT_FOR = 30 * 24 * 3600


def record(task_name: str, *, ok: bool, error: str = "") -> None:
    cache.set(KEY.format(task_name), {"ok": ok, "at": time.time(), "error": error}, KEPT_FOR)


def last_result(task_name: str) -> dict | None:
    return cache.get(KEY.format(task_name))


@task_success.connect
def on_success(sender=None, **kwargs) -> None:
    record(sender.name, ok=True)


@task_failure.connect
def on_failure(sender=None, exception=None, **kwargs) -> None:
    record(sender.name, ok=False, error=f"{type(exception).__name__}: {exception}"[:200])
