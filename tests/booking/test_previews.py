"""Previews are read only: they neither lock the resource nor write, so a preview never waits
behind a booking being made (issue 14, item 16), and they judge as booking would."""

import datetime
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from booking.models import OpeningHours, Quota
from booking.services import book_series, preview_change, preview_series, request_booking
from tests.api.helpers import iso, soon
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

WEEKLY_4 = "FREQ=WEEKLY;COUNT=4"
WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def resource_locked_elsewhere(resource):
    """Another connection, in its own thread, holds the resource row FOR UPDATE (as a booking
    being written does) until the block ends."""
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM booking_resource WHERE id = %s FOR UPDATE", [resource.pk]
                )
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(10), "the other transaction never took the lock"
    try:
        yield
    finally:
        release.set()
        holder.join()


@contextmanager
def lock_wait_of_at_most(milliseconds: int):
    """A statement of this connection that waits longer than this for a lock fails, so a
    preview that queued behind the lock fails the test instead of hanging it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{milliseconds}ms'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


@pytest.fixture
def people(db):
    booker = UserFactory(email="bea.booker@example.org")
    return booker, ProjectFactory(code="BIO-2041", members=[booker])


@pytest.mark.django_db(transaction=True)
def test_a_series_preview_completes_while_a_booking_holds_the_resource_lock(people):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    booker, project = people
    resource = ResourceFactory(name="Cryo-EM Krios", capacity=1)

    with resource_locked_elsewhere(resource), lock_wait_of_at_most(1000):
        found = preview_series(
            user=booker, resource=resource, project=project, start=at(1, 10), end=at(1, 11),
            rule=WEEKLY_4, now=NOW,
        )  # fmt: skip

    assert [occurrence.is_free for occurrence in found] == [True] * 4


@pytest.mark.django_db(transaction=True)
def test_the_api_preview_and_a_change_preview_complete_while_the_resource_is_locked(people):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    booker, project = people
    resource = ResourceFactory(name="Cryo-EM Krios", capacity=1)
    booking = request_booking(
        user=booker, resource=resource, project=project, start=soon(2, 10), end=soon(2, 11)
    )
    api = APIClient()
    api.force_login(booker)
    body = {"resource": resource.pk, "project": project.pk}

    with resource_locked_elsewhere(resource), lock_wait_of_at_most(1000):
        booking_preview = api.post(
            "/api/v1/bookings/preview/",
            body | {"start": iso(soon(3, 10)), "end": iso(soon(3, 11))},
            format="json",
        )
        change_preview = api.post(
            f"/api/v1/bookings/{booking.pk}/preview/",
            {"start": iso(soon(3, 10)), "end": iso(soon(3, 11))},
            format="json",
        )

    assert booking_preview.status_code == 200, booking_preview.json()
    assert booking_preview.json()["bookable"] == 1
    assert change_preview.status_code == 200, change_preview.json()
    assert change_preview.json()["ok"] is True


def statements(queries) -> list[str]:
    return [query["sql"].lstrip().upper() for query in queries]


def test_a_series_preview_issues_no_insert_update_or_lock(people):
    booker, project = people
    resource = ResourceFactory(name="Cryo-EM Krios", capacity=1, max_future_bookings=3)
    Quota.objects.create(resource=resource, scope=Quota.Scope.USER, period="week", hours=10)

    with CaptureQueriesContext(connection) as captured:
        preview_series(
            user=booker, resource=resource, project=project, start=at(1, 10), end=at(1, 11),
            rule=WEEKLY_4, now=NOW,
        )  # fmt: skip

    sql = statements(captured.captured_queries)
    assert sql, "the preview read something"
    assert not [s for s in sql if s.startswith(WRITES) or "SAVEPOINT" in s], sql
    assert not [s for s in sql if "FOR UPDATE" in s], sql


def test_a_change_preview_issues_no_insert_update_or_lock(people):
    booker, project = people
    resource = ResourceFactory(name="Cryo-EM Krios", capacity=1)
    booking = request_booking(
        user=booker, resource=resource, project=project, start=at(1, 10), end=at(1, 11), now=NOW
    )

    with CaptureQueriesContext(connection) as captured:
        preview_change(booking=booking, start=at(2, 10), end=at(2, 11), project=project, now=NOW)

    sql = statements(captured.captured_queries)
    assert not [s for s in sql if s.startswith(WRITES) or "FOR UPDATE" in s], sql


def test_a_preview_judges_each_occurrence_as_booking_the_series_would(people):
    """Earlier occurrences count as planned bookings: the upcoming-booking limit, the weekly
    quota and overlaps with the booker's own time give the verdicts booking gives."""
    booker, project = people
    resource = ResourceFactory(
        name="Cryo-EM Krios", capacity=1, max_duration=240, max_future_bookings=3
    )
    Quota.objects.create(resource=resource, scope=Quota.Scope.USER, period="week", hours=5)
    request_booking(  # 3 of the 5 hours of the second week
        user=booker, resource=resource, project=project, start=at(8, 13), end=at(8, 16), now=NOW
    )
    wanted = {
        "user": booker, "resource": resource, "project": project, "start": at(1, 10),
        "end": at(1, 13), "rule": "FREQ=WEEKLY;COUNT=4", "now": NOW,
    }  # fmt: skip

    previewed = preview_series(**wanted)
    _, booked = book_series(**wanted)

    def codes(found):
        return [[p.code for p in o.problems] for o in found]

    assert codes(previewed) == codes(booked)
    assert codes(previewed) == [[], ["quota_exceeded"], [], ["too_many_bookings"]]


def test_a_preview_of_a_booking_outside_hours_says_why_it_would_wait(people):
    booker, project = people
    resource = ResourceFactory(name="Cryo-EM Krios", allow_outside_hours=True)
    OpeningHours.objects.create(
        resource=resource, weekday=at(1, 0).weekday(), opens=datetime.time(9),
        closes=datetime.time(17),
    )  # fmt: skip

    [occurrence] = preview_series(
        user=booker, resource=resource, project=project, start=at(1, 18), end=at(1, 19),
        rule=None, now=NOW,
    )  # fmt: skip

    assert occurrence.is_free
    assert [reason.code for reason in occurrence.approval_reasons] == ["outside_opening_hours"]
