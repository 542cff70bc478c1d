"""`manage.py healthcheck --deep`: exit 0 when everything answers, 1 with a report when not."""

import io
import json
import re
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command

from labitory.celery import app
from labitory.health import BEAT_HEARTBEAT_KEY
from labitory.tasks import beat_heartbeat_task
from tests.workers import (
    NEEDS_POSTGRES_AND_REDIS,
    ON_POSTGRES_WITH_REDIS,
    start_worker,
    stop_worker,
)

needs_workers = pytest.mark.skipif(not ON_POSTGRES_WITH_REDIS, reason=NEEDS_POSTGRES_AND_REDIS)


def healthcheck(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("healthcheck", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def deep_report() -> tuple[int, dict]:
    code, out = healthcheck("--deep", "--json")
    return code, json.loads(out)


def answering_worker(queues: str):
    """A worker, once it answers over the broker."""
    worker = start_worker(queues)
    deadline = time.monotonic() + 60
    while not app.control.inspect(timeout=0.5).active_queues():
        assert worker.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not answer"
    return worker


@pytest.fixture
def all_queues_worker(db):
    worker = answering_worker("notifications,reports,maintenance")
    yield worker
    stop_worker(worker)


def wait_for_heartbeat(worker) -> None:
    deadline = time.monotonic() + 60
    while cache.get(BEAT_HEARTBEAT_KEY) is None:
        assert worker.poll() is None, "the worker exited"
        assert time.monotonic() < deadline, "the worker did not record beat's heartbeat"
        time.sleep(0.3)


def test_the_quick_check_reports_each_service_on_a_line(db):
    code, out = healthcheck()

    assert code == 0
    assert out.splitlines()[0].startswith("database  ok")
    assert out.splitlines()[-1] == "overall: ok"


def test_the_deep_check_writes_reads_and_deletes_a_file_in_the_media_storage(db, settings):
    code, report = deep_report()

    assert report["checks"]["storage"]["status"] == "ok"
    assert not (settings.MEDIA_ROOT / "health").exists() or not any(
        (settings.MEDIA_ROOT / "health").iterdir()
    )


def test_storage_that_cannot_be_written_fails_the_deep_check(db, settings, tmp_path):
    not_a_folder = tmp_path / "media-is-a-file"
    not_a_folder.write_text("")
    settings.MEDIA_ROOT = not_a_folder

    code, report = deep_report()

    assert code == 1
    assert report["status"] == "down"
    assert report["checks"]["storage"]["status"] == "down"
    assert report["checks"]["database"]["status"] == "ok"


def test_without_a_broker_there_are_no_workers_or_beat_to_check(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    code, report = deep_report()

    assert code == 0
    assert set(report["checks"]) == {"database", "cache", "storage"}


@needs_workers
def test_a_worker_on_every_queue_and_a_recent_beat_are_healthy(all_queues_worker):
    beat_heartbeat_task.delay()
    wait_for_heartbeat(all_queues_worker)

    code, out = healthcheck("--deep")

    assert code == 0, out
    workers = next(line for line in out.splitlines() if line.startswith("workers"))
    assert "notifications: celery@" in workers and "maintenance: celery@" in workers
    assert out.splitlines()[-1] == "overall: ok"


@needs_workers
def test_no_worker_running_fails_the_deep_check_naming_every_queue(db, settings):
    settings.HEALTHCHECK_WORKER_TIMEOUT = 1.0
    cache.set(BEAT_HEARTBEAT_KEY, time.time())

    code, out = healthcheck("--deep")

    assert code == 1
    workers = next(line for line in out.splitlines() if line.startswith("workers"))
    assert workers.split()[1] == "down"
    assert workers.endswith(
        "RuntimeError: no worker answered within 1 s for: notifications, reports, maintenance"
    )
    assert out.splitlines()[-1] == "overall: degraded"


@needs_workers
def test_a_worker_missing_for_one_queue_fails_the_deep_check_for_that_queue(db, settings):
    settings.HEALTHCHECK_WORKER_TIMEOUT = 2.0
    worker = answering_worker("notifications,maintenance")
    try:
        beat_heartbeat_task.delay()
        wait_for_heartbeat(worker)
        code, report = deep_report()
    finally:
        stop_worker(worker)

    assert code == 1
    assert report["checks"]["workers"]["error"].endswith("for: reports")
    assert report["checks"]["beat"]["status"] == "ok"


@needs_workers
def test_a_stale_beat_fails_the_deep_check(all_queues_worker, settings):
    settings.HEALTHCHECK_BEAT_STALE_SECONDS = 300
    cache.set(BEAT_HEARTBEAT_KEY, time.time() - 3600)

    code, report = deep_report()

    assert code == 1
    assert report["checks"]["workers"]["status"] == "ok"
    assert report["checks"]["beat"]["status"] == "down"
    assert re.fullmatch(
        r"RuntimeError: beat last ran 36\d\d s ago", report["checks"]["beat"]["error"]
    )


@needs_workers
def test_a_beat_that_never_ran_fails_the_deep_check(all_queues_worker):
    code, report = deep_report()

    assert code == 1
    assert report["checks"]["beat"]["error"] == (
        "RuntimeError: beat's heartbeat has never been recorded"
    )
