"""Paths that publish a task during a request, and one that then fails, for the tests of
request ids and error reports (tests/site/test_observability.py); never in the site's URLs."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from labitory.urls import urlpatterns as site_urlpatterns
from labpages.tasks import publish_scheduled_pages_task
from reporting.tasks import render_last_month_task


class ProbeFailure(RuntimeError):
    pass


def publish(request):
    task = publish_scheduled_pages_task.delay()
    return JsonResponse({"task_id": task.id})


@csrf_exempt
def fail(request):
    # Personal data in a local variable and the body, which Sentry must not be sent.
    booker = request.POST.get("email", "")
    # A real task that fails in the worker: "today" must be an ISO date.
    render_last_month_task.delay(today="not-a-date")
    raise ProbeFailure(f"a failure made on purpose by the observability test ({len(booker)})")


urlpatterns = [path("probe/publish", publish), path("probe/fail", fail), *site_urlpatterns]
