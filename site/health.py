"""Health checks: is each backing service reachable, and is the background work running?

`/healthz` runs the cheap checks (database, cache, broker) for the load balancer; `manage.py
healthcheck --deep` adds the workers of every queue, beat's last run and the media storage
for monitoring. A check raises when its service is not healthy and may return a detail.

Only the records are essential (the database, and the storage of media and statements):
Redis is a cache (read as empty while it is down) and a broker (messages wait in the outbox
until workers take them). So a failed cache, broker, worker or beat makes the site
"degraded", with the reasons, and `/healthz` still answers 200 so a load balancer keeps
serving; a failed database makes it "down" and 503.
"""

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

Check = Callable[[], str | None]
BEAT_HEARTBEAT_KEY = "labitory:beat:last-run"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    backend = caches["default"]
    if hasattr(backend, "ping"):  # labitory.cache.RedisCache reads an outage as a miss
        backend.ping()
    key = "labitory:healthz"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    from labitory.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)


def check_workers() -> str:
    """Every queue has a worker that answers within the timeout. Asked over the broker, so a
    hung or stopped worker fails this even while its process exists."""
    from labitory.celery import QUEUES, app

    timeout = settings.HEALTHCHECK_WORKER_TIMEOUT
    answers = app.control.inspect(timeout=timeout).active_queues() or {}
    consumed = {worker: {queue["name"] for queue in queues} for worker, queues in answers.items()}
    serving = {
        queue: sorted(w for w, names in consumed.items() if queue in names) for queue in QUEUES
    }
    missing = [queue for queue, names in serving.items() if not names]
    if missing:
        raise RuntimeError(f"no worker answered within {timeout:g} s for: {', '.join(missing)}")
    return "; ".join(f"{queue}: {', '.join(names)}" for queue, names in serving.items())


def record_beat_heartbeat() -> None:
    cache.set(BEAT_HEARTBEAT_KEY, time.time(), timeout=7 * 24 * 3600)


def check_beat() -> str:
    """Beat's heartbeat task ran recently (it is scheduled every minute)."""
    last = cache.get(BEAT_HEARTBEAT_KEY)
    if last is None:
        raise RuntimeError("beat's heartbeat has never been recorded")
    age = time.time() - last
    if age > settings.HEALTHCHECK_BEAT_STALE_SECONDS:
        raise RuntimeError(f"beat last ran {age:.0f} s ago")
    return f"last ran {age:.0f} s ago"


def check_storage() -> None:
    """The default storage (media and statements) takes, returns and deletes a file."""
    content = f"labitory health probe {timezone.now().isoformat()}".encode()
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(content))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != content:
                raise RuntimeError("the storage did not return what was written")
    finally:
        default_storage.delete(name)


def probe(check: Check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:  # any failure of a dependency is a finding, not a crash
        return {"status": "down", "error": f"{type(error).__name__}: {error}"[:300]}
    result = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def chosen_checks(*, deep: bool) -> dict[str, Check]:
    """The cheap checks, and with `deep` the background work and storage. Without a broker
    tasks run in-process, so there are no workers or beat to check."""
    checks: dict[str, Check] = {"database": check_database, "cache": check_cache}
    background = not settings.CELERY_TASK_ALWAYS_EAGER
    if background:
        checks["broker"] = check_broker
    if deep:
        if background:
            checks["workers"] = check_workers
            checks["beat"] = check_beat
        checks["storage"] = check_storage
    return checks


ESSENTIAL = frozenset({"database", "storage"})


def run_checks(*, deep: bool = False) -> dict:
    """ "ok", "degraded" (a failed check the site runs without, named in `reasons`) or
    "down" (an essential one failed)."""
    results = {name: probe(check) for name, check in chosen_checks(deep=deep).items()}
    failed = {name: result for name, result in results.items() if result["status"] != "ok"}
    status = "down" if failed.keys() & ESSENTIAL else "degraded" if failed else "ok"
    reasons = [f"{name}: {result['error']}" for name, result in failed.items()]
    return {"status": status, "reasons": reasons, "checks": results}


@never_cache
@require_GET
def healthz(request):
    report = run_checks()
    return JsonResponse(report, status=503 if report["status"] == "down" else 200)
