"""Real Celery workers for tests: a `celery worker` process on the test PostgreSQL and Redis."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

ON_POSTGRES_WITH_REDIS = bool(os.environ.get("REDIS_URL")) and os.environ.get(
    "DATABASE_URL", ""
).startswith("postgres")
NEEDS_POSTGRES_AND_REDIS = (
    "needs Redis and PostgreSQL (a worker cannot share an in-memory SQLite database)"
)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(
    queue: str, *, pool: str = "solo", env: dict | None = None, loglevel: str = "warning"
) -> subprocess.Popen:
    """A worker taking tasks from one queue (or several, comma-separated), reading the test
    database."""
    options = ["--concurrency", "1"] if pool == "prefork" else []
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "labitory", "worker", "-Q", queue,
         "--pool", pool, *options, "--without-gossip", "--without-mingle", "-l", loglevel],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "labitory.settings.test",
            "DATABASE_URL": database_url(),
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop_worker(worker: subprocess.Popen, *, timeout: int = 30) -> None:
    """Stop the worker and print what it said (pytest shows it when a test fails)."""
    worker.terminate()
    output, _ = worker.communicate(timeout=timeout)
    print(output.decode(errors="replace"))
