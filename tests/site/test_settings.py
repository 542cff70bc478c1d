"""Settings read from the environment: production refuses to guess, development falls back."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "labitory.settings.production"
A_POSTGRES_URL = "postgres://labitory@127.0.0.1:5432/labitory"


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": A_POSTGRES_URL,
        "ALLOWED_HOSTS": "booking.example.org",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run_python(
    settings_module: str, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess:
    """Run Python in a clean environment: only PATH, HOME and what the test passes."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": settings_module,
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def django_setup(settings_module: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run_python(settings_module, env, "-c", "import django; django.setup()")


def test_production_settings_start_with_their_environment():
    result = django_setup(PRODUCTION, production_env())

    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = django_setup(PRODUCTION, production_env(SECRET_KEY=None))

    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = django_setup(PRODUCTION, production_env(DATABASE_URL=None))

    assert result.returncode != 0
    assert "The environment variable DATABASE_URL must be set." in result.stderr


def test_production_refuses_an_sqlite_database():
    result = django_setup(PRODUCTION, production_env(DATABASE_URL="sqlite:////tmp/labitory.db"))

    assert result.returncode != 0
    assert "Production needs a PostgreSQL DATABASE_URL." in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = django_setup(PRODUCTION, production_env(ALLOWED_HOSTS=None))

    assert result.returncode != 0
    assert "The environment variable ALLOWED_HOSTS must be set." in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_python(
        PRODUCTION, production_env(), "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_celery_runs_tasks_eagerly_without_redis():
    result = run_python(
        "labitory.settings.test",
        {},
        "-c",
        "import django; django.setup(); from labitory.celery import app; "
        "print(app.conf.task_always_eager)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_celery_sends_tasks_to_the_broker_when_redis_is_configured():
    result = run_python(
        "labitory.settings.test",
        {"REDIS_URL": "redis://127.0.0.1:6379/5"},
        "-c",
        "import django; django.setup(); from labitory.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False redis://127.0.0.1:6379/5"


@pytest.mark.parametrize(
    "redis_url, engine",
    [("redis://127.0.0.1:6379/5", "cached_db"), (None, "db")],
)
def test_production_keeps_sessions_in_redis_written_through_to_the_database(redis_url, engine):
    result = run_python(
        PRODUCTION,
        production_env(REDIS_URL=redis_url),
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_ENGINE)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"django.contrib.sessions.backends.{engine}"
