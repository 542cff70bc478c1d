"""A request's id follows it into the Celery tasks it publishes, and errors reach Sentry from
the web and from the workers, tagged with that id. Real gunicorn, a real prefork worker, and a
stand-in for Sentry's endpoint on this machine."""

import json
import os
import select
import subprocess
import sys
import time

import pytest
import requests

from tests.site.fake_sentry import FakeSentry, free_port
from tests.workers import (
    NEEDS_POSTGRES_AND_REDIS,
    ON_POSTGRES_WITH_REDIS,
    ROOT,
    database_url,
    start_worker,
    stop_worker,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES_WITH_REDIS, reason=NEEDS_POSTGRES_AND_REDIS),
]

PUBLISHING_ID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"
FAILING_ID = "f9e8d7c6b5a44f3e2d1c0b9a8f7e6d5c"
FAILING_TASK_ID = "task-failure-2b7c41d08e9f"
PERSONAL_ID = "personal-data-5e6f7a8b9c0d"
SECRET_COOKIE = "session-value-that-must-not-leave"
SECRET_TOKEN = "lbt_token-that-must-not-leave"
SECRET_EMAIL = "rosa.researcher@example.org"


class Output:
    """What a process has printed so far, read without blocking."""

    def __init__(self, stream):
        self.fd, self.text = stream.fileno(), ""

    def json_lines(self) -> list[dict]:
        while select.select([self.fd], [], [], 0)[0] and (chunk := os.read(self.fd, 65536)):
            self.text += chunk.decode(errors="replace")
        return [json.loads(line) for line in self.text.splitlines() if line.startswith("{")]

    def wait_for_line(self, timeout: float = 60, **fields) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.json_lines():
                if all(line.get(key) == value for key, value in fields.items()):
                    return line
            time.sleep(0.2)
        raise AssertionError(f"no log line with {fields}; the process printed:\n{self.text}")


@pytest.fixture(scope="module")
def sentry():
    fake = FakeSentry()
    yield fake
    fake.stop()


def observed_env(sentry: FakeSentry) -> dict:
    return {"SENTRY_DSN": sentry.dsn, "SENTRY_ENVIRONMENT": "test", "LOG_FORMAT": "json"}


@pytest.fixture(scope="module")
def web(django_db_setup, sentry, tmp_path_factory):
    """gunicorn, as deployed, serving the test settings plus the probe paths."""
    port = free_port()
    env = {**os.environ, **observed_env(sentry), "DATABASE_URL": database_url(),
           "DJANGO_SETTINGS_MODULE": "tests.site.probe_settings"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "labitory.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, "gunicorn exited"
        try:
            requests.get(f"{base}/healthz", timeout=5)
            break
        except (requests.ConnectionError, requests.Timeout):  # a slow first answer under load
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.3)
    yield base, Output(server.stdout)
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def worker(django_db_setup, sentry):
    """A prefork worker, as deployed, for the queues the probe paths publish to."""
    process = start_worker(
        "maintenance,reports", pool="prefork", env=observed_env(sentry), loglevel="info"
    )
    yield process, Output(process.stdout)
    stop_worker(process, timeout=60)


def test_a_task_published_during_a_request_logs_the_requests_id_in_the_worker(web, worker):
    base, _ = web
    _, worker_output = worker

    response = requests.get(
        f"{base}/probe/publish", headers={"X-Request-ID": PUBLISHING_ID}, timeout=30
    )

    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == PUBLISHING_ID
    task_id = response.json()["task_id"]
    done = worker_output.wait_for_line(task_id=task_id, level="info")
    assert done["request_id"] == PUBLISHING_ID
    assert done["task"] == "labpages.tasks.publish_scheduled_pages_task"
    assert done["logger"] == "celery.app.trace"
    assert "succeeded" in done["event"]


def test_an_error_in_a_view_reaches_sentry_tagged_with_the_request_id(web, worker, sentry):
    base, web_output = web

    response = requests.get(
        f"{base}/probe/fail",
        headers={"X-Request-ID": FAILING_ID, "Cookie": f"sessionid={SECRET_COOKIE}"},
        timeout=30,
    )

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == FAILING_ID
    assert "ProbeFailure" not in response.text
    event = sentry.wait_for_event("ProbeFailure", FAILING_ID)
    assert event["environment"] == "test"
    assert event["request"]["url"].endswith("/probe/fail")
    logged = web_output.wait_for_line(logger="django.request", level="error")
    assert logged["request_id"] == FAILING_ID
    assert "ProbeFailure" in logged["exception"]


def test_an_error_in_a_task_reaches_sentry_tagged_with_the_requests_id(web, worker, sentry):
    base, _ = web

    requests.get(f"{base}/probe/fail", headers={"X-Request-ID": FAILING_TASK_ID}, timeout=30)

    event = sentry.wait_for_event("ValueError", FAILING_TASK_ID)
    assert event["tags"]["celery_task_id"]
    assert "render_last_month_task" in event["transaction"]


def test_no_personal_data_is_sent_to_sentry(web, worker, sentry):
    base, _ = web
    requests.post(
        f"{base}/probe/fail",
        data={"email": SECRET_EMAIL},
        headers={
            "X-Request-ID": PERSONAL_ID,
            "Cookie": f"sessionid={SECRET_COOKIE}",
            "Authorization": f"Bearer {SECRET_TOKEN}",
        },
        timeout=30,
    )
    event = sentry.wait_for_event("ProbeFailure", PERSONAL_ID)

    assert "user" not in event
    assert "cookies" not in event["request"]
    assert event["request"].get("data") in (None, "")
    for secret in (SECRET_COOKIE, SECRET_TOKEN, SECRET_EMAIL):
        assert not any(secret.encode() in body for body in sentry.bodies)
