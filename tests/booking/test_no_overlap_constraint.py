"""The database itself refuses two overlapping holders of a capacity-1 resource.

`booking_no_overlap_on_exclusive_resources` (booking/models/bookings.py) is the last line of
defence behind the booking service's own check. These tests go around the service on
purpose, with `bulk_create` (no `save()`, no rules) and with raw SQL, so only the constraint
stands between the rows and a double booking.

The constraint is PostgreSQL's (an exclusion over `tstzrange(start, end)`, half-open);
SQLite gets the guarantee from serialised write transactions instead, so these tests skip
there. CI runs on PostgreSQL.
"""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from psycopg import errors as pg_errors

from booking.models import Booking
from tests.booking.conftest import at
from tests.factories import ResourceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the exclusion constraint exists on PostgreSQL only; SQLite serialises writes",
    ),
]

HOLDING = [Booking.Status.REQUESTED, Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN]
NOT_HOLDING = [
    Booking.Status.REJECTED,
    Booking.Status.CANCELLED,
    Booking.Status.EXPIRED,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
]


def row(resource, user, project, start, end, status=Booking.Status.CONFIRMED, exclusive=True):
    return Booking(
        resource=resource,
        user=user,
        project=project,
        start=start,
        end=end,
        status=status,
        exclusive=exclusive,
    )


def bulk_insert(*bookings) -> None:
    """Insert in a savepoint so that a refusal leaves the test's transaction usable."""
    with transaction.atomic():
        Booking.objects.bulk_create(bookings)


def assert_refused_as_exclusion(error: pytest.ExceptionInfo) -> None:
    assert isinstance(error.value.__cause__, pg_errors.ExclusionViolation)
    assert "booking_no_overlap_on_exclusive_resources" in str(error.value)


def sql_insert(resource, user, project, start, end, status="confirmed", exclusive=True) -> None:
    """A row written as an outside script would: plain SQL, no Django model in the way."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO booking_booking
                (resource_id, user_id, project_id, start, "end", status, exclusive, note,
                 created_at, cancel_reason, late_cancellation)
            VALUES (%s, %s, %s, %s, %s, %s, %s, '', now(), '', false)
            """,
            [resource.pk, user.pk, project.pk, start, end, status, exclusive],
        )


@pytest.mark.parametrize("first", HOLDING)
@pytest.mark.parametrize("second", HOLDING)
def test_it_refuses_a_bulk_insert_of_two_overlapping_slot_holders(
    instrument, booker, project, first, second
):
    Booking.objects.bulk_create([row(instrument, booker, project, at(1, 10), at(1, 12), first)])

    with pytest.raises(IntegrityError) as error:
        bulk_insert(row(instrument, booker, project, at(1, 11), at(1, 13), second))

    assert_refused_as_exclusion(error)
    assert Booking.objects.filter(resource=instrument).count() == 1


def test_it_refuses_two_overlapping_holders_inserted_in_one_statement(instrument, booker, project):
    with pytest.raises(IntegrityError) as error:
        bulk_insert(
            row(instrument, booker, project, at(1, 10), at(1, 12)),
            row(instrument, booker, project, at(1, 9), at(1, 18), Booking.Status.REQUESTED),
        )

    assert_refused_as_exclusion(error)
    assert not Booking.objects.filter(resource=instrument).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(1, 10), at(1, 12)),  # the same interval
        (at(1, 10, 30), at(1, 11)),  # inside
        (at(1, 9), at(1, 13)),  # around
        (at(1, 11, 59), at(1, 14)),  # one minute over the end
        (at(1, 8), at(1, 10, 1)),  # one minute over the start
    ],
    ids=["same", "inside", "around", "over-the-end", "over-the-start"],
)
def test_it_refuses_an_overlapping_holder_written_in_raw_sql(
    instrument, booker, project, start, end
):
    sql_insert(instrument, booker, project, at(1, 10), at(1, 12))

    with pytest.raises(IntegrityError) as error:
        sql_insert(instrument, booker, project, start, end, status="requested")

    assert_refused_as_exclusion(error)
    assert Booking.objects.filter(resource=instrument).count() == 1


def test_it_refuses_a_status_update_that_makes_a_released_booking_hold_again(
    instrument, booker, project
):
    cancelled = row(instrument, booker, project, at(1, 10), at(1, 12), Booking.Status.CANCELLED)
    holder = row(instrument, booker, project, at(1, 11), at(1, 13))
    Booking.objects.bulk_create([cancelled, holder])

    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CONFIRMED)

    assert_refused_as_exclusion(error)
    cancelled.refresh_from_db()
    assert cancelled.status == Booking.Status.CANCELLED


@pytest.mark.parametrize("status", NOT_HOLDING)
def test_it_lets_a_booking_that_no_longer_holds_the_slot_overlap_a_holder(
    instrument, booker, project, status
):
    bulk_insert(
        row(instrument, booker, project, at(1, 10), at(1, 12)),
        row(instrument, booker, project, at(1, 10), at(1, 12), status),
    )
    sql_insert(instrument, booker, project, at(1, 11), at(1, 13), status=status)

    assert Booking.objects.filter(resource=instrument).count() == 3


def test_it_lets_released_bookings_overlap_each_other(instrument, booker, project):
    bulk_insert(
        *[row(instrument, booker, project, at(1, 10), at(1, 12), status) for status in NOT_HOLDING]
    )

    assert Booking.objects.filter(resource=instrument).count() == len(NOT_HOLDING)


def test_it_lets_touching_intervals_follow_each_other(instrument, booker, project):
    # [10:00, 12:00) and [12:00, 14:00) share only the instant 12:00, which the first one
    # does not include.
    bulk_insert(row(instrument, booker, project, at(1, 10), at(1, 12)))
    bulk_insert(row(instrument, booker, project, at(1, 12), at(1, 14), Booking.Status.REQUESTED))
    sql_insert(instrument, booker, project, at(1, 8), at(1, 10), status="checked_in")

    assert Booking.objects.filter(resource=instrument).count() == 3


def test_it_lets_the_same_time_be_held_on_another_resource(instrument, booker, project):
    other = ResourceFactory(name="Second confocal", lab=instrument.lab, capacity=1)

    bulk_insert(
        row(instrument, booker, project, at(1, 10), at(1, 12)),
        row(other, booker, project, at(1, 10), at(1, 12)),
    )

    assert Booking.objects.filter(start=at(1, 10)).count() == 2


def test_it_lets_bookings_of_a_shared_resource_overlap(booker, project):
    # A bench with room for three: its bookings are not exclusive, the service counts seats.
    bench = ResourceFactory(name="Tissue culture bench", capacity=3)

    bulk_insert(
        row(bench, booker, project, at(1, 10), at(1, 12), exclusive=False),
        row(bench, booker, project, at(1, 11), at(1, 13), exclusive=False),
    )

    assert Booking.objects.filter(resource=bench).count() == 2


def test_it_compares_instants_not_wall_clock_times(instrument, booker, project):
    # 11:00 in London (GMT in March 2030) written as 12:00+01:00: the same instant.
    paris = datetime.timezone(datetime.timedelta(hours=1))
    bulk_insert(row(instrument, booker, project, at(1, 10), at(1, 12)))

    start = at(1, 11).astimezone(paris)
    with pytest.raises(IntegrityError) as error:
        sql_insert(instrument, booker, project, start, start + datetime.timedelta(hours=1))

    assert_refused_as_exclusion(error)
