"""Maintenance windows: the preview of what they hit, and scheduling that cancels exactly those."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from booking.events import booking_event
from booking.models import Booking, MaintenanceWindow
from booking.services import (
    BookingRefused,
    MaintenanceRefused,
    bookings_hit_by,
    cancel_booking,
    check_in,
    request_booking,
    schedule_maintenance,
)
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(email="cora.coordinator@example.org")


@pytest.fixture
def day(instrument, booker, project) -> dict[str, Booking]:
    """Tomorrow on the instrument: 9–10, 10–11, 12–13 (requested), 14–15; one on another tool."""
    other = UserFactory(email="olga.other@example.org")
    other_project = ProjectFactory(members=[other])

    def book(user, project, start, end, resource=instrument):
        return request_booking(
            user=user, resource=resource, project=project, start=start, end=end, now=NOW
        )

    bookings = {
        "early": book(booker, project, at(1, 9), at(1, 10)),
        "morning": book(other, other_project, at(1, 10), at(1, 11)),
        "noon": book(booker, project, at(1, 12), at(1, 13)),
        "afternoon": book(other, other_project, at(1, 14), at(1, 15)),
        "elsewhere": book(
            booker, project, at(1, 10), at(1, 13), resource=ResourceFactory(name="Other tool")
        ),
    }
    Booking.objects.filter(pk=bookings["noon"].pk).update(status=Booking.Status.REQUESTED)
    return bookings


def statuses(bookings: dict[str, Booking]) -> dict[str, str]:
    return {name: Booking.objects.get(pk=b.pk).status for name, b in bookings.items()}


def test_the_preview_lists_the_holders_a_window_overlaps(instrument, day):
    hit = bookings_hit_by(resources=[instrument], starts_at=at(1, 10, 30), ends_at=at(1, 12, 30))

    assert list(hit) == [day["morning"], day["noon"]]


def test_the_preview_leaves_out_bookings_that_only_touch_the_window(instrument, day):
    hit = bookings_hit_by(resources=[instrument], starts_at=at(1, 11), ends_at=at(1, 12))

    assert list(hit) == []


def test_the_preview_leaves_out_bookings_that_no_longer_hold_the_slot(instrument, day, booker):
    cancel_booking(booking=day["early"], by=booker, now=NOW)

    hit = bookings_hit_by(resources=[instrument], starts_at=at(1, 8), ends_at=at(1, 11))

    assert list(hit) == [day["morning"]]


def test_scheduling_cancels_exactly_the_overlapping_holders(instrument, day, coordinator):
    window = schedule_maintenance(
        resource=instrument,
        starts_at=at(1, 10, 30),
        ends_at=at(1, 12, 30),
        reason="Laser alignment",
        by=coordinator,
        now=NOW,
    )

    assert MaintenanceWindow.objects.get() == window
    assert (window.reason, window.created_by) == ("Laser alignment", coordinator)
    assert statuses(day) == {
        "early": "confirmed",
        "morning": "cancelled",
        "noon": "cancelled",
        "afternoon": "confirmed",
        "elsewhere": "confirmed",
    }


def test_maintenance_cancellations_carry_the_reason_and_are_never_late(
    instrument, booker, project, coordinator
):
    # Three hours ahead: well inside the 24-hour cut-off a booker's own cancel would breach.
    soon = request_booking(
        user=booker, resource=instrument, project=project, start=at(0, 12), end=at(0, 13), now=NOW
    )

    schedule_maintenance(
        resource=instrument,
        starts_at=at(0, 11),
        ends_at=at(0, 14),
        reason="Chiller failure",
        by=coordinator,
        now=NOW,
    )

    soon.refresh_from_db()
    assert soon.status == Booking.Status.CANCELLED
    assert soon.cancel_reason == "Maintenance: Chiller failure"
    assert soon.late_cancellation is False
    assert soon.cancelled_at == NOW


def test_each_booker_hit_is_told_through_an_event(
    instrument, day, coordinator, eager_tasks, django_capture_on_commit_callbacks
):
    received = []
    booking_event.connect(
        lambda **kw: received.append((kw["booking_id"], kw["event"], kw["reason"])),
        weak=False,
        dispatch_uid="t",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            schedule_maintenance(
                resource=instrument,
                starts_at=at(1, 10, 30),
                ends_at=at(1, 12, 30),
                reason="Laser alignment",
                by=coordinator,
                now=NOW,
            )
    finally:
        booking_event.disconnect(dispatch_uid="t")

    told = [(pk, reason) for pk, event, reason in received if event == "cancelled_by_maintenance"]
    assert told == [
        (day["morning"].pk, "Maintenance: Laser alignment"),
        (day["noon"].pk, "Maintenance: Laser alignment"),
    ]


def test_scheduling_is_logged_with_the_bookings_it_cancelled(instrument, day, coordinator):
    window = schedule_maintenance(
        resource=instrument,
        starts_at=at(1, 10, 30),
        ends_at=at(1, 11),
        reason="Stage recalibration",
        by=coordinator,
        now=NOW,
    )

    entry = ModelLogEntry.objects.get(action="booking.maintenance.scheduled")
    assert entry.object_id == str(window.pk) and entry.user == coordinator
    assert entry.data == {"cancelled": [day["morning"].pk]}


def test_the_window_then_blocks_new_bookings(instrument, booker, project, coordinator):
    schedule_maintenance(
        resource=instrument,
        starts_at=at(2, 9),
        ends_at=at(2, 17),
        reason="Annual service",
        by=coordinator,
        now=NOW,
    )

    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=booker,
            resource=instrument,
            project=project,
            start=at(2, 10),
            end=at(2, 11),
            now=NOW,
        )
    assert refused.value.codes == ["maintenance"]


def test_a_window_over_a_session_in_progress_is_refused(instrument, day, booker, coordinator):
    check_in(booking=day["early"], by=booker, now=at(1, 9))

    with pytest.raises(MaintenanceRefused) as refused:
        schedule_maintenance(
            resource=instrument,
            starts_at=at(1, 9, 30),
            ends_at=at(1, 11),
            reason="Leak",
            by=coordinator,
            now=at(1, 9, 20),
        )

    assert refused.value.codes == ["resource_in_use"]
    assert not MaintenanceWindow.objects.exists()
    assert statuses(day)["morning"] == "confirmed"


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "reason", "code"),
    [
        (at(1, 12), at(1, 11), "Service", "ends_before_start"),
        (at(1, 12), at(1, 12), "Service", "ends_before_start"),
        (at(1, 12).replace(tzinfo=None), at(1, 13), "Service", "naive_datetime"),
        (at(1, 12), at(1, 13), "   ", "reason_missing"),
        (at(1, 12), at(1, 13), "x" * 201, "reason_too_long"),
    ],
)
def test_a_malformed_window_is_refused_and_nothing_is_cancelled(
    instrument, day, coordinator, starts_at, ends_at, reason, code
):
    with pytest.raises(MaintenanceRefused) as refused:
        schedule_maintenance(
            resource=instrument,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            by=coordinator,
            now=NOW,
        )

    assert refused.value.codes == [code]
    assert not MaintenanceWindow.objects.exists()
    assert "cancelled" not in statuses(day).values()


def test_a_window_that_hits_nothing_cancels_nothing(instrument, day, coordinator):
    schedule_maintenance(
        resource=instrument,
        starts_at=at(1, 11),
        ends_at=at(1, 12),
        reason="Software update",
        by=coordinator,
        now=NOW,
    )

    assert "cancelled" not in statuses(day).values()
    assert MaintenanceWindow.objects.get().duration == datetime.timedelta(hours=1)
