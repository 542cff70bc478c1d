"""The Labitory Django project, imported as ``labitory`` (see pyproject.toml)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
