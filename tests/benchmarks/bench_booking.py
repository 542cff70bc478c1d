"""Booking engine speed on a large facility: 1,000,000 bookings over 500 resources.

Run with `make bench`. Uses its own PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/labitory_bench), built once and reused. Prints each figure
and writes them to bench-results.json.

Figures:
  availability_4w_ms_p50   free_intervals() of one resource over four weeks, median ms
  availability_4w_ms_p95   the same, 95th percentile
  booking_create_per_s     bookings made through request_booking() per second, by
                           BENCH_PROCESSES (default 4, two per core) processes booking
                           different resources at once, as gunicorn workers would
  booking_create_per_s_one_process   the same from a single process
  booking_create_cpu_ms_one_process  CPU time of that process per booking (the part of the
                           cost that other load on the machine does not change)

Each booking is made by one of the project's 1,000 members in turn and passes every rule;
the run then checks that each one was written as confirmed with its audit log entry and its
confirmation in the outbox (whose delivery is queued on Redis, as deployed).
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/labitory_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labitory.settings.dev")
# As deployed: each confirmation's delivery is queued on a Redis broker (not sent in-process).
# The benchmark's own Redis database, emptied before and after.
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")

import django  # noqa: E402
import psycopg  # noqa: E402

RESOURCES = 500
BOOKINGS_PER_RESOURCE = 2000
BASE = datetime.datetime(2026, 1, 5, 8, tzinfo=datetime.UTC)
STEP_HOURS = 8  # one 2-hour booking every 8 hours per resource: about 22 months


def ensure_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def build_dataset() -> None:
    """Labs, 500 resources, users, projects and 1,000,000 bookings, inserted by PostgreSQL."""
    from django.db import connection

    from booking.models import Booking, Lab, Resource, ResourceCategory
    from people.models import Department, Project, User

    if Booking.objects.count() >= RESOURCES * BOOKINGS_PER_RESOURCE:
        return
    print("building the dataset (once) …", flush=True)
    started = time.perf_counter()
    department, _ = Department.objects.get_or_create(code="BENCH", name="Benchmarking")
    category, _ = ResourceCategory.objects.get_or_create(slug="bench", name="Bench instruments")
    labs = [
        Lab.objects.get_or_create(slug=f"bench-lab-{n}", name=f"Bench lab {n}")[0] for n in range(5)
    ]
    Resource.objects.bulk_create(
        [
            Resource(
                name=f"Instrument {n}",
                lab=labs[n % 5],
                category=category,
                max_duration=600,
                horizon_days=3650,
            )
            for n in range(RESOURCES - Resource.objects.count())
        ]
    )
    users = list(User.objects.filter(email__startswith="bench"))
    if not users:
        users = User.objects.bulk_create(
            [
                User(email=f"bench{n}@example.org", first_name="Bench", last_name=str(n))
                for n in range(1000)
            ]
        )
    project, _ = Project.objects.get_or_create(
        code="BENCH-1",
        defaults={
            "name": "Bench",
            "pi": users[0],
            "department": department,
            "active_from": datetime.date(2025, 1, 1),
        },
    )
    project.members.add(*users)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM booking_booking")
        cursor.execute(
            """
            INSERT INTO booking_booking
                (resource_id, user_id, project_id, start, "end", status, exclusive, note,
                 created_at, late_cancellation, cancel_reason)
            SELECT r.id,
                   (SELECT min(id) FROM people_user WHERE email LIKE 'bench%%')
                       + ((r.id * 7 + i) %% 1000),
                   %s,
                   %s + i * interval '8 hours' + (r.id %% 4) * interval '1 hour',
                   %s + i * interval '8 hours' + (r.id %% 4 + 2) * interval '1 hour',
                   CASE WHEN i %% 17 = 0 THEN 'cancelled'
                        WHEN i < 1000 THEN 'completed'
                        ELSE 'confirmed' END,
                   true, '', now(), false, ''
            FROM booking_resource r CROSS JOIN generate_series(0, %s - 1) AS i
            """,
            [project.pk, BASE, BASE, BOOKINGS_PER_RESOURCE],
        )
        cursor.execute("ANALYZE booking_booking")
    print(
        f"  {Booking.objects.count():,} bookings in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def bench_availability() -> dict[str, float]:
    from booking.models import Resource
    from booking.queries import free_intervals

    resources = list(Resource.objects.all()[:RESOURCES])
    rng = random.Random(7)
    timings = []
    for _ in range(400):
        resource = rng.choice(resources)
        start = BASE + datetime.timedelta(days=rng.randrange(0, 600))
        began = time.perf_counter()
        free_intervals(resource, start, start + datetime.timedelta(weeks=4))
        timings.append((time.perf_counter() - began) * 1000)
    quantiles = statistics.quantiles(timings, n=20)
    return {
        "availability_4w_ms_p50": round(statistics.median(timings), 2),
        "availability_4w_ms_p95": round(quantiles[18], 2),
    }


PROCESSES = int(os.environ.get("BENCH_PROCESSES", "4"))
BENCH_NOTE = "made by the benchmark"


def free_slots(resources, rounds: range) -> list[tuple[int, datetime.datetime]]:
    """2-hour slots in the gaps of the generated bookings (which start at hour id % 4)."""
    return [
        (resource.pk, BASE + datetime.timedelta(hours=8 * i + resource.pk % 4 + 3))
        for i in rounds
        for resource in resources
    ]


def book_slots(slots: list[tuple[int, datetime.datetime]]) -> None:
    """Book each slot through request_booking, by the project's members in turn."""
    from django.db import connections

    from booking.models import Resource
    from booking.services import request_booking
    from people.models import Project

    project = Project.objects.get(code="BENCH-1")
    members = list(project.members.order_by("pk"))
    resources = Resource.objects.in_bulk([pk for pk, _ in slots])
    for n, (pk, start) in enumerate(slots):
        request_booking(
            user=members[n % len(members)],
            resource=resources[pk],
            project=project,
            start=start,
            end=start + datetime.timedelta(hours=2),
            now=BASE,
            note=BENCH_NOTE,
        )
    connections.close_all()


def bench_creation() -> dict[str, float]:
    """Bookings per second through the service: one process, then several on different resources."""
    from multiprocessing import get_context

    from django.db import connections

    from booking.models import Resource

    remove_made()  # left by an interrupted run
    resources = list(Resource.objects.order_by("pk")[:200])
    # One untimed booking first: the first call imports and caches what every later one
    # reuses (Wagtail's hooks, templates), and the forked processes below inherit it.
    warm_up = free_slots(resources[:1], range(1199, 1200))
    book_slots(warm_up)
    single = free_slots(resources[:100], range(1200, 1205))
    print(f"booking: 1 process, {len(single)} bookings on 100 resources", flush=True)
    began, cpu_began = time.perf_counter(), time.process_time()
    book_slots(single)
    single_rate = len(single) / (time.perf_counter() - began)
    single_cpu_ms = (time.process_time() - cpu_began) * 1000 / len(single)

    parallel = free_slots(resources, range(1210, 1215))
    shares = [parallel[n::PROCESSES] for n in range(PROCESSES)]
    print(
        f"booking: {PROCESSES} processes on {os.cpu_count()} cores, {len(parallel)} bookings "
        f"on {len(resources)} resources",
        flush=True,
    )
    connections.close_all()
    began = time.perf_counter()
    with get_context("fork").Pool(PROCESSES) as pool:
        pool.map(book_slots, shares)
    parallel_rate = len(parallel) / (time.perf_counter() - began)

    check_made(len(warm_up) + len(single) + len(parallel))
    remove_made()
    return {
        "booking_create_per_s_one_process": round(single_rate, 1),
        "booking_create_cpu_ms_one_process": round(single_cpu_ms, 2),
        "booking_create_per_s": round(parallel_rate, 1),
    }


def made_and_logged():
    """The benchmark's bookings and their audit log entries."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from booking.models import Booking

    made = Booking.objects.filter(note=BENCH_NOTE)
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking),
        object_id__in=[str(pk) for pk in made.values_list("pk", flat=True)],
    )
    return made, entries


def remove_made() -> None:
    from workflows.models import OutboxMessage

    made, entries = made_and_logged()
    entries.delete()
    made.delete()
    # Only the benchmark's bookings send mail in its database.
    OutboxMessage.objects.all().delete()
    empty_broker()


def empty_broker() -> None:
    """Drop the queued deliveries: nothing consumes the benchmark's Redis database."""
    from django.core.cache import cache

    cache._cache.get_client().flushdb()


def check_made(expected: int) -> None:
    """Refuse the figures unless every booking made is confirmed and has its log entry."""
    from booking.models import Booking
    from workflows.models import OutboxMessage

    made, entries = made_and_logged()
    confirmed = made.filter(status=Booking.Status.CONFIRMED).count()
    logged = entries.filter(action="booking.confirmed").count()
    told = OutboxMessage.objects.filter(event="booking_confirmed").count()
    if not confirmed == logged == told == expected:
        raise SystemExit(
            f"expected {expected} confirmed, logged bookings; found {confirmed} confirmed, "
            f"{logged} log entries and {told} confirmations in the outbox"
        )


def main() -> None:
    ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_dataset()
    figures = {**bench_availability(), **bench_creation()}
    for name, value in figures.items():
        print(f"{name:28} {value}")
    path = ROOT / "bench-results.json"
    existing = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**existing, **figures}, indent=2) + "\n")


if __name__ == "__main__":
    main()
