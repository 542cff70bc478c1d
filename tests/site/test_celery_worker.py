"""A real Celery worker, on Redis and PostgreSQL, takes a task from its queue and runs it."""

import time

import pytest
from wagtail.models import Page

from labpages.tasks import publish_scheduled_pages_task
from tests.labpages.test_tasks import schedule_policy
from tests.workers import (
    NEEDS_POSTGRES_AND_REDIS,
    ON_POSTGRES_WITH_REDIS,
    start_worker,
    stop_worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES_WITH_REDIS, reason=NEEDS_POSTGRES_AND_REDIS),
]


@pytest.fixture
def maintenance_worker():
    worker = start_worker("maintenance")
    yield worker
    stop_worker(worker)


def test_a_worker_publishes_a_scheduled_page_taken_from_the_maintenance_queue(maintenance_worker):
    policy = schedule_policy("Biosafety level 2")

    publish_scheduled_pages_task.delay()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Page.objects.get(pk=policy.pk).live:
        assert maintenance_worker.poll() is None, "the worker exited"
        time.sleep(0.5)
    assert Page.objects.get(pk=policy.pk).live
