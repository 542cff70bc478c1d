"""The Celery app. Queues: notifications (email), reports (PDFs), maintenance (beat jobs)."""

import logging
import os
from logging.config import dictConfig

from celery import Celery
from celery.signals import setup_logging, worker_ready
from kombu import Exchange, Queue

# Its signal handlers carry a request's id into the tasks it publishes.
# Its signal handlers keep each task's last outcome for the Scheduled jobs list.
from labitory import (
    job_results,  # noqa: F401
    request_id,  # noqa: F401
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.dev")

app = Celery("labitory")
app.config_from_object("django.conf:settings", namespace="CELERY")
QUEUES = ("notifications", "reports", "maintenance")
# Each queue has its own exchange and key, so a task reaches only the queue it is routed to.
app.conf.task_queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in QUEUES)
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(loglevel=None, **kwargs) -> None:
    """Workers and beat log through Django's LOGGING (labitory.logging_setup), at the level
    given with `-l`, instead of Celery's own format."""
    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


@worker_ready.connect
def serve_metrics(**kwargs) -> None:
    """With WORKER_METRICS_PORT set, the worker answers Prometheus on that loopback port."""
    from django.conf import settings

    if settings.WORKER_METRICS_PORT:
        from labitory.metrics import serve_worker_metrics

        serve_worker_metrics(settings.WORKER_METRICS_PORT)
