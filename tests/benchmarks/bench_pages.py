"""Page speed on the facility of bench_booking.py (500 resources, 1,000,000 bookings), through
gunicorn with production settings (server.py), each page against floors of the same run.

Run with `make bench`. Uses bench_booking.py's database and Redis; adds (once) a home page, a
lab page, an instrument page presenting one of the 500 resources and a policy page.

Figures (median ms of ROUNDS requests each, one keep-alive client, the kinds interleaved):
  instrument_page_anon_ms_p50    the instrument page with its week view, not signed in
  instrument_page_user_ms_p50    the same, signed in (own bookings marked, what they need)
  wagtail_page_floor_ms_p50      a plain policy page of the same site: Wagtail's routing,
                                 the site's header, footer and settings, no booking panel
  hello_view_ms_p50              a bare Django view (floor_urls.py): middleware and gunicorn
  instrument_anon_over_floor     anonymous instrument page / policy page (target ≤ 1.0)
  instrument_user_over_floor     signed-in instrument page / policy page (target ≤ 1.5)
  wagtail_page_floor_over_hello  policy page / bare view (target ≤ 3)
  session_db_us                  loading a signed-in session from the database, µs (median)
  session_cached_db_us           the same through the cached_db engine (Redis, the database
                                 behind it), as production settings have it

The run refuses its figures unless each page answers 200 with its content, the signed-in page
marks the viewer's own booking, and a booking made during the run shows on the very next
anonymous request (a cached week view must never show a taken slot as free).
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

import django  # noqa: E402

from tests.benchmarks import server  # noqa: E402

# Sessions made here must hold for gunicorn: their hash is keyed on SECRET_KEY.
os.environ["SECRET_KEY"] = server.SECRET_KEY

from tests.benchmarks import bench_booking  # noqa: E402
from tests.benchmarks.results import record  # noqa: E402
from tests.benchmarks.server import Client, collect_static, start_gunicorn, stop  # noqa: E402

PORT = int(os.environ.get("BENCH_PAGES_PORT", "8102"))
ROUNDS = int(os.environ.get("BENCH_PAGES_ROUNDS", "300"))
WARM_UP = 30
INSTRUMENT = "/bench-lab/bench-instrument/"
POLICY = "/booking-policy/"
HELLO = "/bench/hello"


def build_site() -> tuple[object, object]:
    """The pages (once): home as the default site's root, a lab, an instrument presenting a
    resource of the dataset, a policy. Returns the resource and a member of its project."""
    from wagtail.models import Page, Site

    from booking.models import Lab, Resource
    from labpages.models import FacilitySettings, HomePage, InstrumentPage, LabPage, PolicyPage
    from people.models import User

    resource = Resource.objects.order_by("pk").first()
    home = HomePage.objects.filter(slug="bench-home").first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Bench facility", slug="bench-home"))
        lab = home.add_child(
            instance=LabPage(
                title="Bench lab", slug="bench-lab", lab=Lab.objects.get(pk=resource.lab_id)
            )
        )
        lab.add_child(
            instance=InstrumentPage(
                title="Bench instrument",
                slug="bench-instrument",
                resource=resource,
                summary="A confocal microscope of the benchmark facility.",
                location="Building 1, room 2",
            )
        )
        policy = home.add_child(
            instance=PolicyPage(
                title="Booking policy",
                slug="booking-policy",
                summary="How to book.",
                body="<p>Book what you need; cancel what you no longer need.</p>" * 5,
            )
        )
        policy.save_revision().publish()
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()
        FacilitySettings.objects.update_or_create(
            site=site, defaults={"contact_email": "facility@example.org"}
        )
    member = User.objects.get(pk=resource.bookings.order_by("pk").first().user_id)
    return resource, member


def session_cookie(user) -> str:
    """A signed-in session for `user`, stored as the production engine stores it."""
    from django.conf import settings
    from django.test import Client as DjangoClient

    client = DjangoClient()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def own_booking_shown(resource, member) -> None:
    """Make sure the member holds a booking in the week shown, so the signed-in page has one
    of its own to mark (the dataset's are spread over 1,000 people)."""
    from django.utils import timezone

    from booking.models import Booking

    now = timezone.now()
    week = Booking.objects.filter(
        resource=resource,
        status="confirmed",
        start__gte=now,
        start__lt=now + datetime.timedelta(days=6),
    ).order_by("start")
    if not week.filter(user=member).exists():
        booking = week.first()
        booking.user = member
        booking.save(update_fields=["user"])


def check_fresh(client: Client, resource) -> None:
    """A booking made now shows on the next anonymous request: one more booked stretch (set
    two hours into a free one, so it joins no other)."""
    from django.utils import timezone

    from booking.models import Booking
    from booking.queries import free_intervals
    from booking.services import request_booking
    from people.models import Project

    now = timezone.now()
    soon = now + datetime.timedelta(hours=3)
    free = free_intervals(resource, soon, soon + datetime.timedelta(days=5))
    start = free[0][0].replace(second=0, microsecond=0) + datetime.timedelta(hours=2)
    start -= datetime.timedelta(minutes=start.minute)
    _, before = client.get(INSTRUMENT)
    project = Project.objects.get(code="BENCH-1")
    booking = request_booking(
        user=project.members.order_by("pk").first(),
        resource=resource,
        project=project,
        start=start,
        end=start + datetime.timedelta(minutes=30),
        note=bench_booking.BENCH_NOTE,
    )
    _, after = client.get(INSTRUMENT)
    Booking.objects.filter(pk=booking.pk).delete()
    if after.count(b"entry--booked") != before.count(b"entry--booked") + 1:
        raise SystemExit("a booking made during the run did not show on the instrument page")


def measure(port: int, cookie: str) -> dict[str, list[float]]:
    anon, user = Client(port), Client(port, cookie)
    kinds = {
        "hello": (anon, HELLO, b"Hello"),
        "floor": (anon, POLICY, b"Booking policy"),
        "anon": (anon, INSTRUMENT, b"Book this instrument"),
        "user": (user, INSTRUMENT, b"Your booking"),
    }
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    for n in range(WARM_UP + ROUNDS):
        for kind, (client, path, expected) in kinds.items():
            elapsed, status, body = client.timed_get(path)
            if status != 200 or expected not in body:
                raise SystemExit(f"{path} ({kind}) answered {status}: {body[:300]!r}")
            if n >= WARM_UP:
                timings[kind].append(elapsed)
    return timings


def session_costs(cookie: str) -> dict[str, float]:
    """µs to load the signed-in session, from the database and through cached_db."""
    from importlib import import_module

    key = cookie.split("=", 1)[1]
    costs = {}
    for name, engine in (("db", "db"), ("cached_db", "cached_db")):
        store = import_module(f"django.contrib.sessions.backends.{engine}").SessionStore
        store(key).load()  # cached_db: the first load fills the cache
        timings = []
        for _ in range(500):
            began = time.perf_counter()
            assert store(key).load().get("_auth_user_id")
            timings.append((time.perf_counter() - began) * 1e6)
        costs[f"session_{name}_us"] = round(statistics.median(timings), 1)
    return costs


def bench() -> dict[str, float]:
    from django.db import connections

    bench_booking.remove_made()
    resource, member = build_site()
    own_booking_shown(resource, member)
    cookie = session_cookie(member)
    connections.close_all()
    collect_static()
    server = start_gunicorn(PORT)
    try:
        print(f"pages: {ROUNDS} rounds of 4 kinds, gunicorn on 127.0.0.1:{PORT}", flush=True)
        timings = measure(PORT, cookie)
        check_fresh(Client(PORT), resource)
    finally:
        stop(server)
    bench_booking.remove_made()
    p50 = {kind: statistics.median(values) for kind, values in timings.items()}
    return {
        "instrument_page_anon_ms_p50": round(p50["anon"], 2),
        "instrument_page_user_ms_p50": round(p50["user"], 2),
        "wagtail_page_floor_ms_p50": round(p50["floor"], 2),
        "hello_view_ms_p50": round(p50["hello"], 2),
        "instrument_anon_over_floor": round(p50["anon"] / p50["floor"], 2),
        "instrument_user_over_floor": round(p50["user"] / p50["floor"], 2),
        "wagtail_page_floor_over_hello": round(p50["floor"] / p50["hello"], 2),
        **session_costs(cookie),
    }


def main() -> None:
    bench_booking.ensure_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    bench_booking.build_dataset()
    record(bench())


if __name__ == "__main__":
    main()
