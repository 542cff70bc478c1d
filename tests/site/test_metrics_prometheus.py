"""A real Prometheus (Debian's package) scraping a real gunicorn with three workers, in
prometheus-client's multiprocess mode, with the deployed alert rules loaded: the figures it
stores move when a booking is made and when requests are answered by any worker."""

import os
import shutil
import subprocess
import sys
import time

import pytest
import redis
import requests

from tests.ports import free_port
from tests.workers import NEEDS_POSTGRES_AND_REDIS, ON_POSTGRES_WITH_REDIS, ROOT, database_url
from tests.workflows.helpers import book, make_rule
from workflows.models import ApprovalStep

PROMETHEUS = shutil.which("prometheus")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES_WITH_REDIS, reason=NEEDS_POSTGRES_AND_REDIS),
    pytest.mark.skipif(
        PROMETHEUS is None,
        reason="prometheus is missing: deploy/system-deps.sh installs it (Debian's package)",
    ),
]


def wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, f"{what} exited"
        try:
            if requests.get(url, timeout=5).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        assert time.monotonic() < deadline, f"{what} did not answer"
        time.sleep(0.3)


@pytest.fixture
def web(django_db_setup, tmp_path):
    """gunicorn with the deployed configuration, its workers counting into one folder."""
    port = free_port(range(18700, 18800))
    counts = tmp_path / "multiproc"
    counts.mkdir()
    env = {**os.environ, "DATABASE_URL": database_url(), "PROMETHEUS_MULTIPROC_DIR": str(counts),
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3",
           "GUNICORN_THREADS": "1", "DJANGO_SETTINGS_MODULE": "labitory.settings.test"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", server, "gunicorn")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def prometheus(web, tmp_path):
    port = free_port(range(19700, 19800))
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        f"rule_files: [{ROOT / 'deploy' / 'prometheus' / 'alerts.yml'}]\n"
        "scrape_configs:\n"
        "  - job_name: labitory-web\n"
        f"    static_configs: [{{targets: ['{web.removeprefix('http://')}']}}]\n"
    )
    server = subprocess.Popen(
        [PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/-/ready", server, "prometheus")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def stored(prometheus: str, query: str) -> float | None:
    answer = requests.get(f"{prometheus}/api/v1/query", params={"query": query}, timeout=5)
    result = answer.json()["data"]["result"]
    return float(result[0]["value"][1]) if result else None


def eventually(prometheus: str, query: str, expected) -> float:
    """The figure Prometheus stores once `expected(figure)` holds (scrapes are every second)."""
    deadline = time.monotonic() + 30
    while True:
        figure = stored(prometheus, query)
        if figure is not None and expected(figure):
            return figure
        assert time.monotonic() < deadline, f"{query} stayed at {figure}"
        time.sleep(0.5)


@pytest.fixture
def empty_queues():
    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    broker.delete("notifications", "reports", "maintenance")
    yield
    broker.delete("notifications", "reports", "maintenance")


def test_a_booking_waiting_for_approval_moves_what_prometheus_stores(
    prometheus, instrument, booker, project, coordinator, empty_queues
):
    assert eventually(prometheus, "labitory_outbox_pending", lambda n: True) == 0
    step = {"approvers": ApprovalStep.Approvers.USERS, "users": [coordinator]}
    make_rule(instrument.lab, step, always=True)

    book(instrument, booker, project)

    assert eventually(prometheus, "labitory_outbox_pending", lambda n: n > 0) > 0
    assert eventually(prometheus, "up", lambda n: True) == 1


def test_requests_answered_by_any_worker_add_up(web, prometheus):
    query = 'sum(labitory_http_requests_total{view="healthz",status="200"})'
    before = eventually(prometheus, query, lambda n: True)

    for _ in range(12):
        assert requests.get(f"{web}/healthz", timeout=5).status_code == 200

    assert eventually(prometheus, query, lambda n: n >= before + 12) == before + 12
