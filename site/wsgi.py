"""The WSGI application gunicorn serves."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.production")

application = get_wsgi_application()

# Import the URLconf (and with it Wagtail's admin and every app's hooks) now, not in each
# worker's first request: with gunicorn's preload_app that is once, in the master, before
# the workers fork. No connection opened meanwhile may be shared by the forked workers.
resolve("/healthz")
connections.close_all()
