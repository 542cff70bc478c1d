"""Load on the whole stack (deploy/stack/: nginx → gunicorn, workers, beat, PostgreSQL,
Redis) by 200 simulated researchers for 120 seconds, with locust.

Run with `make bench` (or this file alone); it starts the stack clean and stops it after.
What each researcher does is in locustfile_load.py: instrument pages, free time, bookings
of their own slots (each must be confirmed), rushes on contested slots (one winner; the
others must get 409 `slot_taken`, which is expected and not an error) and polls of their
calendar feed, as a calendar client makes them (with the ETag it holds: 304 when nothing
changed). Prints a table and merges the figures into bench-results.json:

  load_rps          requests per second over the run, all kinds together
  load_p50_ms       median latency (ms), all requests
  load_p95_ms       95th percentile
  load_p99_ms       99th percentile
  load_errors       failed requests: any answer other than those expected above
  load_overlaps     pairs of slot-holding bookings that overlap on a capacity-1 resource
                    afterwards (self-join over every booking in the database): must be 0
  load_bookings     bookings confirmed during the run
  load_slot_taken   contested requests answered 409 slot_taken

LOAD_USERS (200) and LOAD_SECONDS (120) change the size of the run; the targets
(results.py) are for the full size.
"""

import datetime
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.results import record  # noqa: E402
from tests.stack.runner import RunningStack, running_stack  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "200"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
CONFIG = ROOT / "var" / "stack" / "load.json"
RESULTS = ROOT / "var" / "stack" / "load-results.json"
# Request names, as locustfile_load.py gives them.
OWN = "book own slot (API)"
RUSH = "book contested slot (API)"


def use_stack_database(stack: RunningStack) -> None:
    """Django in this process, on the stack's database, for setting up and checking."""
    os.environ["DATABASE_URL"] = stack.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "labitory.settings.test"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def prepare() -> dict:
    """Researchers with a personal API token, a calendar feed and an instrument each, one
    contested instrument, a project for them all, and the demo's instrument pages to read."""
    from booking.models import Lab, Resource, ResourceCategory
    from booking.services import issue_feed
    from labpages.models import InstrumentPage
    from people.api_tokens import ApiToken, create_token
    from people.models import Department, Project, User

    lab = Lab.objects.create(name="Load test lab", slug="load-test")
    category = ResourceCategory.objects.create(name="Load test", slug="load-test")
    people = [
        User.objects.create_user(email=f"load{n}@example.org", first_name="Load", last_name=f"{n}")
        for n in range(USERS)
    ]
    project = Project.objects.create(
        code="LOAD-1",
        name="Load test",
        pi=people[0],
        department=Department.objects.create(code="LOAD", name="Load test"),
        active_from=datetime.date(2025, 1, 1),
    )
    project.members.add(*people)
    researchers = []
    for person in people:
        resource = Resource.objects.create(
            name=f"Load {person.last_name}", lab=lab, category=category
        )
        _, token = create_token(
            user=person, name="load test", scope=ApiToken.Scope.READ_WRITE, days=1
        )
        _, feed = issue_feed(owner=person, kind="personal")
        researchers.append({"token": token, "resource": resource.pk, "feed": feed})
    contested = Resource.objects.create(name="Load contested", lab=lab, category=category)
    first_day = datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=2)
    first_slot = datetime.datetime.combine(first_day, datetime.time(0), datetime.UTC)
    return {
        "researchers": researchers,
        "contested": contested.pk,
        "project": project.pk,
        "pages": [page.url for page in InstrumentPage.objects.live()],
        "first_slot": first_slot.isoformat(),
    }


def warm_up(base_url: str, config: dict) -> None:
    """Read every page and the API a few times first, so each gunicorn worker's one-time
    imports and caches are not counted as the researchers' waiting."""
    import requests

    headers = {"Authorization": f"Bearer {config['researchers'][0]['token']}"}
    for _ in range(3):
        for page in config["pages"]:
            requests.get(base_url + page, timeout=60).raise_for_status()
        requests.get(f"{base_url}/api/v1/bookings/", headers=headers, timeout=60)


def run_locust(base_url: str) -> list[dict]:
    """Run the researchers headless; locust's final figures per kind of request (written to
    RESULTS: locust adds the .json itself)."""
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile_load.py")),
         "--headless", "--users", str(USERS), "--spawn-rate", str(USERS),
         "--run-time", f"{SECONDS}s", "--stop-timeout", "15", "--host", base_url,
         "--json-file", str(RESULTS.with_suffix("")), "--loglevel", "WARNING", "--only-summary"],
        cwd=ROOT, env={**os.environ, "LOAD_CONFIG": str(CONFIG)}, check=False,
    )  # fmt: skip
    return json.loads(RESULTS.read_text())


def percentile(histogram: Counter, share: float) -> float:
    """The latency (ms, as locust rounds it) below which `share` of the requests fall."""
    wanted, seen = share * histogram.total(), 0
    for milliseconds in sorted(histogram):
        seen += histogram[milliseconds]
        if seen >= wanted:
            return float(milliseconds)
    return 0.0


def summary(entries: list[dict]) -> dict:
    """Count, errors and latency percentiles of some of locust's entries taken together."""
    histogram = Counter()
    for entry in entries:
        histogram.update({int(ms): count for ms, count in entry["response_times"].items()})
    return {
        "count": sum(entry["num_requests"] for entry in entries),
        "errors": sum(entry["num_failures"] for entry in entries),
        **{f"p{n}": percentile(histogram, n / 100) for n in (50, 95, 99)},
    }


def overlapping_pairs() -> int:
    """Pairs of slot-holding bookings on one capacity-1 resource whose times overlap."""
    from django.db import connection

    from booking.models import Booking

    holding = [str(status) for status in Booking.HOLDING]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*)
            FROM booking_booking a
            JOIN booking_booking b
              ON b.resource_id = a.resource_id AND b.id > a.id
             AND b.start < a."end" AND a.start < b."end"
            JOIN booking_resource r ON r.id = a.resource_id
            WHERE r.capacity = 1 AND a.status = ANY(%s) AND b.status = ANY(%s)
            """,
            [holding, holding],
        )
        return cursor.fetchone()[0]


def figures_from(entries: list[dict]) -> dict[str, float]:
    from booking.models import Booking

    overall = summary(entries)
    seconds = max(e["last_request_timestamp"] or 0 for e in entries) - min(
        e["start_time"] for e in entries
    )
    rushes = sum(e["num_requests"] for e in entries if e["name"] == RUSH)
    wins = Booking.objects.filter(resource__name="Load contested").count()
    return {
        "load_rps": round(overall["count"] / seconds, 1),
        "load_p50_ms": overall["p50"],
        "load_p95_ms": overall["p95"],
        "load_p99_ms": overall["p99"],
        "load_errors": overall["errors"],
        "load_overlaps": overlapping_pairs(),
        "load_bookings": Booking.objects.filter(resource__lab__slug="load-test").count(),
        "load_slot_taken": rushes - wins,
    }


def check_bookings(entries: list[dict]) -> None:
    """Every own booking answered 201 is in the database, confirmed (not just counted)."""
    from booking.models import Booking

    own = summary([e for e in entries if e["name"] == OWN])
    answered = own["count"] - own["errors"]
    stored = (
        Booking.objects.filter(resource__lab__slug="load-test", status=Booking.Status.CONFIRMED)
        .exclude(resource__name="Load contested")
        .count()
    )
    if stored != answered:
        raise SystemExit(f"{answered} own bookings were answered 201 but {stored} are stored")


def print_table(entries: list[dict]) -> None:
    header = f"{'request':28} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(header + "\n" + "-" * len(header))
    rows = [(e["name"], summary([e])) for e in sorted(entries, key=lambda e: e["name"])]
    for name, row in [*rows, ("all", summary(entries))]:
        print(
            f"{name:28} {row['count']:>6} {row['errors']:>6} "
            f"{row['p50']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f}"
        )
    print()


def main() -> None:
    with running_stack() as stack:
        use_stack_database(stack)
        config = prepare()
        CONFIG.write_text(json.dumps(config))
        warm_up(stack.base_url, config)
        print(
            f"{USERS} researchers for {SECONDS} s against {stack.base_url} "
            f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores) …",
            flush=True,
        )
        entries = run_locust(stack.base_url)
        check_bookings(entries)
        figures = figures_from(entries)
    print_table(entries)
    record(figures)
    if figures["load_errors"] or figures["load_overlaps"]:
        raise SystemExit("the load test found errors or overlapping bookings")


if __name__ == "__main__":
    main()
