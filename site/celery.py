"""The Celery app. Queues: notifications (email), reports (PDFs), maintenance (beat jobs)."""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.dev")

app = Celery("labitory")
app.config_from_object("django.conf:settings", namespace="CELERY")
QUEUES = ("notifications", "reports", "maintenance")
# Each queue has its own exchange and key, so a task reaches only the queue it is routed to.
app.conf.task_queues = tuple(Queue(name, Exchange(name), routing_key=name) for name in QUEUES)
app.autodiscover_tasks()
