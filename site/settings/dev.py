"""Development: the embedded SQLite database, eager Celery, mail on the console."""

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = True
DEMO_DATA_ALLOWED = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
