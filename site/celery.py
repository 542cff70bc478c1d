"""The Celery app. Queues: notifications (email), reports (PDFs), maintenance (beat jobs)."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.dev")

app = Celery("labitory")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("notifications"), Queue("reports"), Queue("maintenance"))
app.autodiscover_tasks()
