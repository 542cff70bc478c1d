"""An explicit clock, and the check that no two holders of a slot overlap (the instrument,
booker and project fixtures are in tests/conftest.py, shared with tests/api)."""

import datetime
import zoneinfo

import pytest
from django.db import connection

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Tests pass this as `now`; bookings are made relative to it.
NOW = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=LONDON)  # a Monday


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time `day_offset` days after NOW's date."""
    day = NOW.date() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def no_overlapping_holders() -> list[tuple]:
    """Pairs of slot-holding bookings on a capacity-1 resource that overlap (must be none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, b.id FROM booking_booking a
            JOIN booking_booking b ON a.resource_id = b.resource_id AND a.id < b.id
            JOIN booking_resource r ON r.id = a.resource_id
            WHERE r.capacity = 1
              AND a.status IN ('requested', 'confirmed', 'checked_in')
              AND b.status IN ('requested', 'confirmed', 'checked_in')
              AND a.start < b."end" AND b.start < a."end"
            """
        )
        return cursor.fetchall()


@pytest.fixture(autouse=True)
def _calendar_stays_true(request):
    """After every booking test that used the database, no two holders of a slot overlap."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if not (marker or "db" in names or "transactional_db" in names):
        yield
        return
    transactional = "transactional_db" in names or (marker and marker.kwargs.get("transaction"))
    # Set the database up first, so that it is still there when this fixture checks it.
    request.getfixturevalue("transactional_db" if transactional else "db")
    yield
    assert no_overlapping_holders() == [], "two slot-holding bookings overlap"
