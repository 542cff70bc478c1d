"""request_booking, transitions and cancellation: what is written, logged and refused."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from booking.events import booking_event
from booking.models import Booking, Closure, OpeningHours
from booking.services import (
    BookingRefused,
    IllegalTransition,
    cancel_booking,
    change_booking,
    request_booking,
    transition,
)
from tests.booking.conftest import NOW, at

pytestmark = pytest.mark.django_db


def request(instrument, booker, project, start, end):
    return request_booking(
        user=booker, resource=instrument, project=project, start=start, end=end, now=NOW
    )


def test_a_free_slot_is_confirmed_and_logged(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.project == project and booking.exclusive
    entry = ModelLogEntry.objects.get(object_id=str(booking.pk))
    assert entry.action == "booking.confirmed" and entry.user == booker


def test_times_are_stored_in_utc(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))
    booking.refresh_from_db()
    assert booking.start == at(1, 10)
    assert booking.start.utcoffset() == datetime.timedelta(0)


def test_outside_hours_bookings_wait_as_requested_and_hold_the_slot(instrument, booker, project):
    OpeningHours.objects.create(
        resource=instrument,
        weekday=at(1, 0).weekday(),
        opens=datetime.time(9),
        closes=datetime.time(17),
    )
    instrument.allow_outside_hours = True
    instrument.save()

    booking = request(instrument, booker, project, at(1, 17), at(1, 19))

    assert booking.status == Booking.Status.REQUESTED
    assert booking.holds_slot


def test_a_refused_booking_writes_nothing(instrument, booker, project):
    with pytest.raises(BookingRefused) as refused:
        request(instrument, booker, None, at(1, 10), at(1, 11))
    assert refused.value.codes == ["unknown_project"]
    assert not Booking.objects.exists()
    assert not ModelLogEntry.objects.exists()


def test_the_second_booker_of_a_slot_is_refused_with_slot_taken(instrument, booker, project):
    request(instrument, booker, project, at(1, 10), at(1, 11))
    rival = project.pi
    with pytest.raises(BookingRefused) as refused:
        request(instrument, rival, project, at(1, 10, 30), at(1, 11, 30))
    assert refused.value.codes == ["slot_taken"]


def test_events_are_sent_after_commit(
    instrument, booker, project, django_capture_on_commit_callbacks
):
    received = []
    booking_event.connect(
        lambda **kw: received.append((kw["booking_id"], kw["event"])), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            booking = request(instrument, booker, project, at(1, 10), at(1, 11))
    finally:
        booking_event.disconnect(dispatch_uid="t")
    assert received == [(booking.pk, "confirmed")]


def test_a_booking_takes_the_same_twelve_queries_however_busy_the_calendar(
    instrument, booker, project, django_assert_num_queries
):
    """Savepoint, resource lock, opening hours, everything around the slot in
    one UNION, project membership, the approval rules in scope, the booking, its log entry;
    its confirmation (worded later, by the worker): a savepoint, the message, two releases.
    A rule that starts reading more, or a look-up added per neighbour, makes this fail."""
    request(instrument, booker, project, at(1, 8), at(1, 9))  # warms the per-process caches
    for hour in (9, 11, 12, 13):
        request(instrument, project.pi, project, at(1, hour), at(1, hour + 1))
    Closure.objects.create(
        resource=instrument, starts_at=at(2, 0), ends_at=at(3, 0), reason="Service visit"
    )

    with django_assert_num_queries(12):
        booking = request(instrument, booker, project, at(1, 10), at(1, 11))

    assert booking.status == Booking.Status.CONFIRMED


def test_the_resource_lock_reads_the_row_and_what_it_has(instrument, booker, project):
    from django.db import transaction

    from booking.models import Quota, Resource
    from booking.services.bookings import lock_resource

    Quota.objects.create(resource=instrument, scope="user", period="week", hours=4)
    with transaction.atomic():
        locked = lock_resource(instrument)
        assert (locked.pk, locked.name, locked.capacity) == (
            instrument.pk,
            instrument.name,
            instrument.capacity,
        )
        assert locked.has_quotas is True and locked.has_required_policies is False
        assert Resource.objects.get(pk=instrument.pk).has_quotas is None  # unknown: look
        with pytest.raises(Resource.DoesNotExist):
            lock_resource(Resource(pk=instrument.pk + 1000))


def test_illegal_transitions_are_refused(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))
    with pytest.raises(IllegalTransition):
        transition(booking, Booking.Status.REJECTED, by=booker)
    cancel_booking(booking=booking, by=booker, now=NOW)
    with pytest.raises(IllegalTransition):
        transition(booking, Booking.Status.CONFIRMED, by=booker)


def test_a_started_booking_cannot_be_changed(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))
    started = at(1, 10, 30)

    with pytest.raises(IllegalTransition) as refused:
        change_booking(
            booking=booking, by=booker, start=at(1, 10), end=at(1, 12), project=project, now=started
        )

    assert refused.value.code == "illegal_transition"
    assert refused.value.message == "This booking has started, so it can no longer be changed."
    booking.refresh_from_db()
    assert booking.end == at(1, 11)


def test_an_ended_booking_cannot_be_cancelled(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))

    with pytest.raises(IllegalTransition) as refused:
        cancel_booking(booking=booking, by=booker, now=at(1, 11))

    assert refused.value.message == "This booking has already ended, so it cannot be cancelled."
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_cancelling_before_the_cutoff_is_not_late(instrument, booker, project):
    booking = request(instrument, booker, project, at(3, 10), at(3, 11))
    cancelled = cancel_booking(booking=booking, by=booker, reason="Samples not ready", now=NOW)
    assert cancelled.status == Booking.Status.CANCELLED
    assert not cancelled.late_cancellation
    assert cancelled.cancel_reason == "Samples not ready"


def test_cancelling_after_the_cutoff_is_marked_late(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 8), at(1, 9))
    cancelled = cancel_booking(booking=booking, by=booker, now=NOW + datetime.timedelta(hours=10))
    assert cancelled.late_cancellation


def test_a_cancelled_slot_can_be_booked_again(instrument, booker, project):
    booking = request(instrument, booker, project, at(1, 10), at(1, 11))
    cancel_booking(booking=booking, by=booker, now=NOW)
    assert (
        request(instrument, project.pi, project, at(1, 10), at(1, 11)).status
        == Booking.Status.CONFIRMED
    )
