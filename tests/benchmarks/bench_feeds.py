"""Calendar feed speed: a personal feed of 500 events, written in full and answered with 304.

Run with `make bench`. Uses its own PostgreSQL database (BENCH_FEEDS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/labitory_bench_feeds), migrated and filled afresh on each
run, and the Redis cache of BENCH_REDIS_URL as bench_booking.py does. Requests go through
Django's test client, so every middleware runs (sessions, CSP, request ids, the site's
time zone); the HTTP server's own few tenths of a millisecond are left out.

Figures:
  ics_feed_full_ms_p50    GET of the feed without a validator: every event read and written
  ics_feed_full_ms_p95    the same, 95th percentile
  ics_feed_304_ms_p50     GET with the ETag of the current feed: the version is computed and
                          304 answered, nothing written (target at most 5 ms)
  ics_feed_304_ms_p95     the same, 95th percentile
  ics_feed_floor_ms_p50   GET of a feed URL whose token is unknown (404): the middleware and
                          the token's look-up alone, the floor the 304 stands on

The run refuses its figures unless the full answer holds all 500 events, the conditional
one is a 304 with an empty body, and a booking made afterwards turns the old ETag into a 200.
"""

import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks.results import record  # noqa: E402

os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_FEEDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/labitory_bench_feeds"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.test")
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")

import django  # noqa: E402

from tests.benchmarks.bench_booking import ensure_database  # noqa: E402

EVENTS = 500
ROUNDS = 200


def build_feed() -> tuple[str, object]:
    """A researcher with 500 bookings (from 60 days ago on), each with a log entry; returns
    the feed's path and the resource."""
    from django.db import connection
    from wagtail.log_actions import log

    from booking.models import Booking, Lab, Resource, ResourceCategory
    from booking.services import issue_feed
    from people.models import Department, Project, User

    lab, _ = Lab.objects.get_or_create(slug="feed-bench-lab", name="Feed bench lab")
    category, _ = ResourceCategory.objects.get_or_create(slug="feed-bench", name="Feed bench")
    resource, _ = Resource.objects.get_or_create(
        name="Feed bench confocal",
        defaults={"lab": lab, "category": category, "max_duration": 600, "horizon_days": 3650},
    )
    owner, _ = User.objects.get_or_create(
        email="feed.bench@example.org", defaults={"first_name": "Fay", "last_name": "Bench"}
    )
    department, _ = Department.objects.get_or_create(code="FEED", name="Feeds")
    project, _ = Project.objects.get_or_create(
        code="FEED-1",
        defaults={"name": "Feeds", "pi": owner, "department": department,
                  "active_from": datetime.date(2025, 1, 1)},
    )  # fmt: skip
    Booking.objects.filter(resource=resource).delete()
    first = datetime.datetime.now(datetime.UTC).replace(minute=0, second=0, microsecond=0)
    first -= datetime.timedelta(days=60)
    bookings = Booking.objects.bulk_create(
        Booking(
            resource=resource,
            user=owner,
            project=project,
            start=first + datetime.timedelta(hours=6 * n),
            end=first + datetime.timedelta(hours=6 * n + 2),
            status=Booking.Status.CONFIRMED,
        )
        for n in range(EVENTS)
    )
    for booking in bookings:
        log(booking, "booking.changed", user=owner)
    _, token = issue_feed(owner=owner, kind="personal")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have, after a fresh fill
    return f"/bookings/feeds/{token}.ics", (resource, owner, project, first)


def timed_get(client, path: str, **headers) -> tuple[float, object]:
    began = time.perf_counter()
    response = client.get(path, headers=headers)
    return (time.perf_counter() - began) * 1000, response


def percentile(timings: list[float], share: float) -> float:
    return round(sorted(timings)[int(len(timings) * share)], 2)


def bench() -> dict[str, float]:
    from django.test import Client

    from booking.services import request_booking

    path, (resource, owner, project, first) = build_feed()
    client = Client(HTTP_HOST="localhost")
    _, response = timed_get(client, path)
    assert response.status_code == 200 and response.content.count(b"BEGIN:VEVENT") == EVENTS
    etag = response["ETag"]
    full, conditional, floor = [], [], []
    unknown = "/bookings/feeds/" + "A" * 43 + ".ics"
    for _ in range(ROUNDS):
        elapsed, response = timed_get(client, unknown)
        assert response.status_code == 404
        floor.append(elapsed)
        elapsed, response = timed_get(client, path)
        assert response.status_code == 200
        full.append(elapsed)
        elapsed, response = timed_get(client, path, if_none_match=etag)
        assert response.status_code == 304 and response.content == b""
        conditional.append(elapsed)
    later = first + datetime.timedelta(hours=6 * EVENTS + 3)
    request_booking(
        user=owner,
        resource=resource,
        project=project,
        start=later,
        end=later + datetime.timedelta(hours=1),
    )
    assert timed_get(client, path, if_none_match=etag)[1].status_code == 200, "a stale 304"
    return {
        "ics_feed_full_ms_p50": round(statistics.median(full), 2),
        "ics_feed_full_ms_p95": percentile(full, 0.95),
        "ics_feed_304_ms_p50": round(statistics.median(conditional), 2),
        "ics_feed_304_ms_p95": percentile(conditional, 0.95),
        "ics_feed_floor_ms_p50": round(statistics.median(floor), 2),
    }


def main() -> None:
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the floor's 404s
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    record(bench())


if __name__ == "__main__":
    main()
