"""The booking tasks: registered, routed to the maintenance queue, scheduled, working."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from booking import tasks
from booking.models import Booking, WaitlistEntry
from booking.services import cancel_booking, join_waitlist, request_booking
from labitory.celery import app
from tests.factories import ProjectFactory, UserFactory
from tests.site.test_celery_worker import maintenance_worker  # noqa: F401 (a fixture)
from tests.workers import ON_POSTGRES_WITH_REDIS

PERIODIC = {
    "booking.tasks.release_no_shows_task",
    "booking.tasks.complete_finished_task",
    "booking.tasks.expire_offers_task",
}
ALL = PERIODIC | {"booking.tasks.offer_freed_slot_task"}


def test_every_booking_task_is_registered():
    app.loader.import_default_modules()

    assert set(app.tasks) >= ALL


@pytest.mark.parametrize("name", sorted(ALL))
def test_booking_tasks_go_to_the_maintenance_queue(name):
    assert app.amqp.router.route({}, name)["queue"].name == "maintenance"


def test_beat_runs_each_periodic_booking_task_at_least_every_five_minutes():
    scheduled = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }

    assert set(scheduled) >= PERIODIC
    assert all(scheduled[name] <= 300 for name in PERIODIC)


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


# The tasks run on the real clock, so these bookings are made on a clock a day behind it.


@pytest.fixture
def yesterday() -> datetime.datetime:
    now = timezone.now().replace(second=0, microsecond=0)
    return now - datetime.timedelta(days=1, minutes=now.minute % 15)


@pytest.fixture
def booked_yesterday(instrument, booker, project, yesterday) -> Booking:
    """An hour's booking that started a day ago, made a day before that."""
    return request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=yesterday,
        end=yesterday + datetime.timedelta(hours=1),
        now=yesterday - datetime.timedelta(days=1),
    )


@pytest.mark.django_db
def test_the_release_task_releases_no_shows(booked_yesterday):
    assert tasks.release_no_shows_task() == 1
    assert Booking.objects.get(pk=booked_yesterday.pk).status == Booking.Status.NO_SHOW


@pytest.mark.django_db
def test_the_completion_task_completes_finished_bookings(booked_yesterday, instrument):
    instrument.release_no_shows = False
    instrument.save()

    assert tasks.complete_finished_task() == 1
    assert Booking.objects.get(pk=booked_yesterday.pk).status == Booking.Status.COMPLETED


@pytest.mark.django_db
def test_the_expiry_task_expires_lapsed_offers(booked_yesterday, instrument, yesterday):
    waiter = UserFactory()
    entry = join_waitlist(
        user=waiter,
        resource=instrument,
        project=ProjectFactory(members=[waiter]),
        start=booked_yesterday.start,
        end=booked_yesterday.end,
        now=yesterday - datetime.timedelta(days=1),
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(
        status=WaitlistEntry.Status.OFFERED, offer_expires_at=yesterday
    )

    assert tasks.expire_offers_task() == 1
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.EXPIRED


@pytest.mark.django_db
def test_the_offer_task_offers_a_cancelled_bookings_time(instrument, booker, project):
    start = (timezone.now() + datetime.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    held = request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    waiter = UserFactory()
    entry = join_waitlist(
        user=waiter,
        resource=instrument,
        project=ProjectFactory(members=[waiter]),
        start=held.start,
        end=held.end,
    )
    cancel_booking(booking=held, by=booker)

    assert tasks.offer_freed_slot_task(held.pk) == 1
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistEntry.Status.OFFERED


@pytest.mark.django_db
def test_the_offer_task_ignores_a_booking_that_is_gone():
    assert tasks.offer_freed_slot_task(987654) == 0


@pytest.mark.skipif(
    not ON_POSTGRES_WITH_REDIS,
    reason="needs Redis and PostgreSQL (a worker cannot share an in-memory SQLite database)",
)
@pytest.mark.django_db(transaction=True)
def test_a_worker_releases_no_shows_taken_from_the_maintenance_queue(
    booked_yesterday,
    maintenance_worker,  # noqa: F811
):
    tasks.release_no_shows_task.delay()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Booking.objects.get(pk=booked_yesterday.pk).status == Booking.Status.NO_SHOW:
            break
        assert maintenance_worker.poll() is None, "the worker exited"
        time.sleep(0.5)
    assert Booking.objects.get(pk=booked_yesterday.pk).status == Booking.Status.NO_SHOW
