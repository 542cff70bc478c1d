import os

import pytest
from django.test import override_settings

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_healthz_reports_database_and_cache_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_healthz_says_degraded_when_the_cache_is_unreachable(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["reasons"][0].startswith("cache: ConnectionError")


@override_settings(CELERY_TASK_ALWAYS_EAGER=True)
def test_healthz_skips_the_broker_when_tasks_run_eagerly(client, db):
    assert "broker" not in client.get("/healthz").json()["checks"]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set")
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_healthz_checks_the_broker_when_one_is_configured(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"
