"""API speed on the facility of bench_booking.py (500 resources, 1,000,000 bookings).

Run with `make bench`. Uses bench_booking.py's database (BENCH_DATABASE_URL) and Redis
(BENCH_REDIS_URL), built by its functions once and reused. Prints each figure and merges
them to bench-results.json.

Figures:
  api_availability_4w_ms_p50   GET resources/{id}/availability/ over four weeks through
                               Django's test client, signed in, median ms (and p95)
  api_create_8clients_per_s    bookings made per second by 8 clients at once, each with its
                               own personal API token, POSTing bookings/ to gunicorn
                               (deploy/gunicorn.conf.py, production settings, DEBUG off);
                               one slot in ten is also tried by a second client, which must
                               get a 409
  api_create_cpu_ms_per_request   CPU time of the gunicorn workers per request of that run
                               (the part of the cost that other load on the machine does
                               not change as much)
  api_create_floor_per_s       the same requests, clients and gunicorn, POSTed to the floor
                               (floor_urls.py): the same row inserted by a view that only
                               authenticates the token, with no rules, log, outbox or serializer
  api_create_vs_floor          seconds of the API run / seconds of the floor run (target ≤ 1.5)
  api_overlaps                 pairs of slot-holding bookings of a capacity-1 resource that
                               overlap, over the whole table afterwards (must be 0)

The run refuses its figures unless every booking made was written as confirmed with its
log entry and its confirmation in the outbox, and every contested slot gave one 409.
"""

import datetime
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# Persistent database connections, as deploy/env.example sets them.
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

# Sets the benchmark's database and Redis in the environment, as for bench_booking.py.
import django  # noqa: E402

from tests.benchmarks import bench_booking  # noqa: E402
from tests.benchmarks.results import record  # noqa: E402
from tests.benchmarks.server import HEADERS, start_gunicorn, stop  # noqa: E402

CLIENTS = 8
ROUNDS = 10  # slots per resource, 200 resources: 2,000 bookings (long enough to be steady)
CONTESTED_EVERY = 10
PORT = int(os.environ.get("BENCH_API_PORT", "8101"))
HOLDING = ("requested", "confirmed", "checked_in")


# Availability through the test client.


def bench_availability() -> dict[str, float]:
    from django.test import Client

    from booking.models import Resource
    from people.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.filter(email__startswith="bench").order_by("pk").first())
    resources = list(Resource.objects.values_list("pk", flat=True)[: bench_booking.RESOURCES])
    rng = random.Random(11)
    timings = []
    for n in range(420):
        # Windows in the dataset's coming months, where its bookings still hold their slots.
        start = bench_booking.BASE + datetime.timedelta(days=rng.randrange(340, 640))
        window = {
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(weeks=4)).isoformat(),
        }
        path = f"/api/v1/resources/{rng.choice(resources)}/availability/"
        began = time.perf_counter()
        response = client.get(path, window)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200 or not response.json()["busy"]:
            raise SystemExit(f"availability answered {response.status_code}: {response.content}")
        if n >= 20:  # the first requests fill caches (the facility's zone, imports)
            timings.append(elapsed)
    quantiles = statistics.quantiles(timings, n=20)
    return {
        "api_availability_4w_ms_p50": round(statistics.median(timings), 2),
        "api_availability_4w_ms_p95": round(quantiles[18], 2),
    }


# Creation through gunicorn.


def tokens_for(count: int) -> list[str]:
    """A read-write personal API token for each of `count` of the project's members."""
    from people.api_tokens import create_token
    from people.models import Project

    members = Project.objects.get(code="BENCH-1").members.order_by("pk")[:count]
    return [
        create_token(user=user, name="api benchmark", scope="read_write", days=1)[1]
        for user in members
    ]


def remove_tokens() -> None:
    from people.api_tokens import ApiToken

    ApiToken.objects.filter(name="api benchmark").delete()


def plans() -> tuple[list[list[dict]], int, int]:
    """Each client's booking requests, and how many bookings and 409s the run must give.

    Clients book different resources; every tenth slot of a client is also tried, later,
    by the next client, which must lose it."""
    from booking.models import Resource
    from people.models import Project

    resources = list(Resource.objects.order_by("pk")[:200])
    now = datetime.datetime.now(datetime.UTC)
    first = int((now - bench_booking.BASE) / datetime.timedelta(hours=8)) + 30
    slots = bench_booking.free_slots(resources, range(first, first + ROUNDS))
    project = Project.objects.get(code="BENCH-1").pk
    bodies = [
        {
            "resource": pk,
            "project": project,
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
            "note": bench_booking.BENCH_NOTE,
        }
        for pk, start in slots
    ]
    own = [bodies[n::CLIENTS] for n in range(CLIENTS)]
    contested = [share[::CONTESTED_EVERY] for share in own]
    plan = [own[n] + contested[(n - 1) % CLIENTS] for n in range(CLIENTS)]
    return plan, len(bodies), sum(len(c) for c in contested)


API = "/api/v1/bookings/"
FLOOR = "/bench/bookings"


def run_client(
    path: str, token: str, bodies: list[dict], tally: dict, lock: threading.Lock
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {**HEADERS, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    counts: dict[int, int] = {}
    for body in bodies:
        connection.request("POST", path, json.dumps(body), headers)
        response = connection.getresponse()
        answer = response.read()
        counts[response.status] = counts.get(response.status, 0) + 1
        if response.status not in (201, 409):
            print(f"unexpected {response.status}: {answer[:300]!r}", flush=True)
    connection.close()
    with lock:
        for code, n in counts.items():
            tally[code] = tally.get(code, 0) + n


def run_clients(server, path: str, tokens: list[str], plan: list[list[dict]]) -> tuple:
    """The plan's requests to `path`, each client on its own thread; (answers by status,
    wall seconds, the workers' CPU seconds)."""
    tally: dict[int, int] = {}
    lock = threading.Lock()
    clients = [
        threading.Thread(target=run_client, args=(path, tokens[n], plan[n], tally, lock))
        for n in range(CLIENTS)
    ]
    cpu_began, began = workers_cpu_seconds(server.pid), time.perf_counter()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return tally, time.perf_counter() - began, workers_cpu_seconds(server.pid) - cpu_began


def remove_floor_rows() -> None:
    """The floor's rows (no log entries, no outbox): gone before the API makes its own."""
    from booking.models import Booking

    Booking.objects.filter(note=bench_booking.BENCH_NOTE).delete()


def bench_creation() -> dict[str, float]:
    from django.db import connections

    bench_booking.remove_made()  # left by an interrupted run
    remove_tokens()
    plan, expected, contested = plans()
    tokens = tokens_for(CLIENTS)
    connections.close_all()
    # Limits far above the run's rate: throttling is counted, never reached.
    limits = {"API_THROTTLE_USER": "1000000/minute", "API_THROTTLE_TOKEN": "1000000/minute"}
    server = start_gunicorn(PORT, **limits)
    try:
        print(
            f"api: {CLIENTS} clients, {expected} bookings on 200 resources, {contested} "
            f"contested, gunicorn on 127.0.0.1:{PORT}; first to the floor, then to the API",
            flush=True,
        )
        floor_tally, floor_elapsed, _ = run_clients(server, FLOOR, tokens, plan)
        remove_floor_rows()
        connections.close_all()
        tally, elapsed, cpu = run_clients(server, API, tokens, plan)
    finally:
        stop(server)
    for name, answers in (("floor", floor_tally), ("api", tally)):
        if answers != {201: expected, 409: contested}:
            raise SystemExit(
                f"{name}: expected {expected} × 201 and {contested} × 409, got {answers}"
            )
    bench_booking.check_made(expected)
    overlaps = count_overlaps()
    bench_booking.remove_made()
    remove_tokens()
    return {
        "api_create_8clients_per_s": round(expected / elapsed, 1),
        "api_create_8clients_requests_per_s": round((expected + contested) / elapsed, 1),
        "api_create_cpu_ms_per_request": round(cpu * 1000 / (expected + contested), 2),
        "api_create_floor_per_s": round(expected / floor_elapsed, 1),
        "api_create_vs_floor": round(elapsed / floor_elapsed, 2),
        "api_overlaps": overlaps,
    }


def workers_cpu_seconds(master: int) -> float:
    """CPU time used so far by the gunicorn master's workers (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def count_overlaps() -> int:
    """Pairs of slot-holding bookings of one capacity-1 resource that overlap, table-wide."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM booking_booking a
            JOIN booking_resource r ON r.id = a.resource_id AND r.capacity = 1
            JOIN booking_booking b ON b.resource_id = a.resource_id AND a.id < b.id
                AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")
            WHERE a.status = ANY(%s) AND b.status = ANY(%s)
            """,
            [list(HOLDING), list(HOLDING)],
        )
        return cursor.fetchone()[0]


def main() -> None:
    bench_booking.ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench_booking.build_dataset()
    record({**bench_availability(), **bench_creation()})


if __name__ == "__main__":
    main()
