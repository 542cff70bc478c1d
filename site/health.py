"""/healthz: is each backing service reachable? JSON, HTTP 503 when one is down."""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = "labitory:healthz"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    from labitory.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _probe(check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as error:  # any failure of a dependency is a finding, not a crash
        return {"status": "down", "error": f"{type(error).__name__}: {error}"[:300]}
    return {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_GET
def healthz(request):
    checks: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = check_broker
    results = {name: _probe(check) for name, check in checks.items()}
    healthy = all(result["status"] == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": results}, status=200 if healthy else 503
    )
