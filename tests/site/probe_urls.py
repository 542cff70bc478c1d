"""Paths that publish a task during a request, and one that then fails, for the tests of
request ids and error reports (tests/site/test_observability.py); never in the site's URLs."""

from django.http import JsonResponse
from django.urls import path

from labitory.urls import urlpatterns as site_urlpatterns
from labpages.tasks import publish_scheduled_pages_task
from reporting.tasks import render_last_month_task


class ProbeFailure(RuntimeError):
    pass


def publish(request):
    task = publish_scheduled_pages_task.delay()
    return JsonResponse({"task_id": task.id})


def fail(request):
    # A real task that fails in the worker: "today" must be an ISO date.
    render_last_month_task.delay(today="not-a-date")
    raise ProbeFailure("a failure made on purpose by the observability test")


urlpatterns = [path("probe/publish", publish), path("probe/fail", fail), *site_urlpatterns]
