"""Prometheus metrics at `/metrics`: requests by view and status, and the state of the
background work read at scrape time.

Requests are counted by `RequestMetricsMiddleware` under the resolver's URL name (never the
raw path, which would make a series per booking). Under gunicorn each worker counts its own,
so with `PROMETHEUS_MULTIPROC_DIR` set prometheus-client keeps them in files there and the
view adds them up (deploy/README.md).

The gauges (outbox, statements, approvals, queues, beat, backups) are asked of PostgreSQL,
Redis and the backup folder when Prometheus scrapes, so any worker answers the same and none
needs the multiprocess files for them. A Redis that does not answer makes the queue depths
missing and `labitory_redis_up` 0, never a failed scrape.

Only loopback (a direct scrape of gunicorn, with no proxy's X-Forwarded-For) or a bearer
token equal to `METRICS_TOKEN` may read them; anyone else gets the site's ordinary 404.
"""

import ipaddress
import os
import time

import redis
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from labitory import backup
from labitory.cache import DEFAULT_OPTIONS, UNREACHABLE
from labitory.health import BEAT_HEARTBEAT_KEY

REQUESTS = Counter(
    "labitory_http_requests", "HTTP requests answered, by view and status.", ["view", "status"]
)
LATENCY = Histogram(
    "labitory_http_request_duration_seconds",
    "Time to answer an HTTP request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
UNRESOLVED = "<unresolved>"  # answered before any URL matched (a redirect adding a slash)


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match else UNRESOLVED
        REQUESTS.labels(view, str(response.status_code)).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


def gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


class RecordsCollector(Collector):
    """What waits, what failed and how old the background work's signs of life are."""

    def collect(self):
        yield from self.outbox()
        statement = apps.get_model("reporting", "Statement")
        yield gauge(
            "labitory_statements_rendering",
            "Statements being rendered now.",
            statement.objects.filter(status=statement.Status.RENDERING).count(),
        )
        approval = apps.get_model("workflows", "ApprovalRequest")
        waiting = approval.objects.filter(
            status=approval.Status.PENDING, remind_at__lte=timezone.now()
        )
        yield gauge(
            "labitory_approvals_past_reminder",
            "Approval requests still waiting after their reminder time.",
            waiting.count(),
        )
        yield from self.queues()
        yield from self.beat()

    def outbox(self):
        message = apps.get_model("workflows", "OutboxMessage")
        pending = message.objects.filter(status=message.Status.PENDING)
        oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
        yield gauge("labitory_outbox_pending", "Messages waiting to be sent.", pending.count())
        yield gauge(
            "labitory_outbox_oldest_pending_age_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits).",
            (timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        yield gauge(
            "labitory_outbox_failed",
            "Messages that failed for good.",
            message.objects.filter(status=message.Status.FAILED).count(),
        )

    def queues(self):
        from labitory.celery import QUEUES

        if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            return
        depth = GaugeMetricFamily(
            "labitory_celery_queue_length", "Tasks waiting in each Celery queue.", labels=["queue"]
        )
        try:
            client = broker()
            for queue in QUEUES:
                depth.add_metric([queue], client.llen(queue))
        except UNREACHABLE:
            yield gauge("labitory_redis_up", "Whether the broker's Redis answered.", 0)
            return
        yield gauge("labitory_redis_up", "Whether the broker's Redis answered.", 1)
        yield depth

    def beat(self):
        last = cache.get(BEAT_HEARTBEAT_KEY)
        if last is not None:
            yield gauge(
                "labitory_beat_heartbeat_age_seconds",
                "Seconds since beat's every-minute heartbeat task last ran.",
                time.time() - last,
            )


class BackupCollector(Collector):
    """The newest archive in BACKUP_DIR, on the hosts that see that folder (the maintenance
    worker's writes it)."""

    def collect(self):
        if settings.BACKUP_DIR.is_dir():
            made = [when for _, when in backup.made_at(settings.BACKUP_DIR)]
            yield gauge(
                "labitory_backup_last_timestamp_seconds",
                "When the newest backup archive was made (0 when there is none).",
                max(made).timestamp() if made else 0,
            )


_broker_clients: dict[str, redis.Redis] = {}


def broker() -> redis.Redis:
    url = settings.CELERY_BROKER_URL
    if url not in _broker_clients:
        _broker_clients[url] = redis.Redis.from_url(url, **DEFAULT_OPTIONS)
    return _broker_clients[url]


# Without auto_describe, so registering asks nothing of the database at import.
RECORDS = CollectorRegistry()
RECORDS.register(RecordsCollector())
RECORDS.register(BackupCollector())


def serve_worker_metrics(port: int) -> None:
    """A Celery worker's own /metrics on loopback: its process and the backups it writes."""
    registry = CollectorRegistry()
    registry.register(BackupCollector())
    for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR):
        registry.register(collector)
    start_http_server(port, addr="127.0.0.1", registry=registry)


def exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    return generate_latest(counted) + generate_latest(RECORDS)


def may_scrape(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and constant_time_compare(given, f"Bearer {token}"):
        return True
    # Through nginx every request comes from loopback, but with X-Forwarded-For.
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    return loopback and "X-Forwarded-For" not in request.headers


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
