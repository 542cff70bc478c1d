"""A real Celery worker, on Redis and PostgreSQL, takes a task from its queue and runs it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from wagtail.models import Page

from labpages.tasks import publish_scheduled_pages_task
from tests.labpages.test_tasks import schedule_policy

ROOT = Path(__file__).resolve().parents[2]

ON_POSTGRES_WITH_REDIS = bool(os.environ.get("REDIS_URL")) and os.environ.get(
    "DATABASE_URL", ""
).startswith("postgres")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRES_WITH_REDIS,
        reason="needs Redis and PostgreSQL (a worker cannot share an in-memory SQLite database)",
    ),
]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def maintenance_worker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "labitory.settings.test",
        "DATABASE_URL": database_url(),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "labitory",
            "worker",
            "-Q",
            "maintenance",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield worker
    worker.terminate()
    output, _ = worker.communicate(timeout=30)
    print(output.decode(errors="replace"))


def test_a_worker_publishes_a_scheduled_page_taken_from_the_maintenance_queue(maintenance_worker):
    policy = schedule_policy("Biosafety level 2")

    publish_scheduled_pages_task.delay()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Page.objects.get(pk=policy.pk).live:
        assert maintenance_worker.poll() is None, "the worker exited"
        time.sleep(0.5)
    assert Page.objects.get(pk=policy.pk).live
