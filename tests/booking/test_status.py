"""An instrument's status: down records an outage the rules refuse bookings in, and cancels
or warns the bookings it hits; up and limited end it."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from booking import ics
from booking.models import Booking, Outage, Resource
from booking.rules import Proposal, evaluate
from booking.services import (
    BookingRefused,
    StatusChange,
    StatusRefused,
    bookings_hit_by_outage,
    request_booking,
    set_resource_status,
)
from tests.booking.conftest import NOW, at
from tests.booking.test_feeds import parse
from tests.conftest import make_coordinator
from tests.factories import ProjectFactory, UserFactory
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db
Status = Resource.Status
DOWN_TWO_DAYS = StatusChange(status=Status.DOWN, note="Laser failed", expected_back=at(2, 9))


@pytest.fixture
def confocal(facility) -> Resource:
    return facility.confocal.resource


@pytest.fixture
def bookers(db) -> list:
    people = [UserFactory(email=f"booker{n}@example.org") for n in range(4)]
    return [(person, ProjectFactory(members=[person])) for person in people]


@pytest.fixture
def bookings(confocal, bookers) -> list[Booking]:
    """Three bookings in the next two days, one after."""
    times = [(at(0, 10), at(0, 11)), (at(1, 9), at(1, 10)), (at(1, 14), at(1, 15))]
    times.append((at(3, 9), at(3, 10)))
    return [
        request_booking(user=user, resource=confocal, project=project, start=s, end=e, now=NOW)
        for (user, project), (s, e) in zip(bookers, times, strict=True)
    ]


def down(confocal, coordinator, change=DOWN_TWO_DAYS):
    return set_resource_status(resource=confocal, change=change, by=coordinator, now=NOW)


def test_the_preview_lists_the_upcoming_bookings_in_the_outage(confocal, bookings):
    hit = bookings_hit_by_outage(resource=confocal, until=at(2, 9), now=NOW)

    assert list(hit) == bookings[:3]


def test_down_records_the_outage_and_cancels_the_bookings_it_hits(confocal, bookings, coordinator):
    resource, hit = down(confocal, coordinator)

    assert hit == bookings[:3]
    assert [Booking.objects.get(pk=b.pk).status for b in bookings] == [
        "cancelled",
        "cancelled",
        "cancelled",
        "confirmed",
    ]
    cancelled = Booking.objects.get(pk=bookings[0].pk)
    assert cancelled.cancel_reason == "Down: Laser failed"
    assert cancelled.late_cancellation is False
    outage = Outage.objects.get(resource=confocal)
    assert (outage.starts_at, outage.ends_at, outage.reason) == (NOW, at(2, 9), "Laser failed")
    resource.refresh_from_db()
    assert (resource.status, resource.status_note, resource.expected_back) == (
        "down",
        "Laser failed",
        at(2, 9),
    )


def test_each_booker_hit_is_told_once(confocal, bookings, bookers, coordinator):
    down(confocal, coordinator)

    told = OutboxMessage.objects.filter(event="booking_cancelled_by_staff")
    assert sorted(m.recipient_id for m in told) == sorted(user.pk for user, _ in bookers[:3])


def test_down_can_keep_the_bookings_with_a_warning(confocal, bookings, bookers, coordinator):
    change = StatusChange(
        status=Status.DOWN, note="Laser failed", expected_back=at(2, 9), cancel_hit=False
    )

    down(confocal, coordinator, change)

    assert {Booking.objects.get(pk=b.pk).status for b in bookings} == {"confirmed"}
    warned = OutboxMessage.objects.filter(event="booking_outage_warning")
    assert sorted(m.recipient_id for m in warned) == sorted(user.pk for user, _ in bookers[:3])
    assert OutboxMessage.objects.filter(event="booking_cancelled_by_staff").count() == 0


def test_a_booking_in_the_outage_is_refused_with_its_own_code(confocal, coordinator, bookers):
    down(confocal, coordinator)
    user, project = bookers[0]

    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=user, resource=confocal, project=project, start=at(1, 11), end=at(1, 12), now=NOW
        )

    assert refused.value.codes == ["resource_down"]
    assert "down until 09:00 on 06 March 2030 (Laser failed)" in refused.value.message


def test_a_booking_after_the_expected_return_is_accepted(confocal, coordinator, bookers):
    down(confocal, coordinator)
    user, project = bookers[0]

    booking = request_booking(
        user=user, resource=confocal, project=project, start=at(2, 9), end=at(2, 10), now=NOW
    )

    assert booking.status == "confirmed"


def test_back_up_ends_the_outage_and_the_time_is_bookable_again(confocal, coordinator, bookers):
    down(confocal, coordinator)
    later = NOW + datetime.timedelta(hours=3)

    set_resource_status(
        resource=confocal, change=StatusChange(status=Status.UP), by=coordinator, now=later
    )

    outage = Outage.objects.get(resource=confocal)
    assert outage.ends_at == later
    confocal.refresh_from_db()
    assert (confocal.status, confocal.status_note, confocal.expected_back) == ("up", "", None)
    user, project = bookers[0]
    proposal = Proposal(confocal, user, project, at(1, 11), at(1, 12))
    assert evaluate(proposal, now=later).ok


def test_limited_keeps_bookings_and_records_no_outage(confocal, bookings, coordinator):
    change = StatusChange(status=Status.LIMITED, note="405 nm laser off")

    set_resource_status(resource=confocal, change=change, by=coordinator, now=NOW)

    confocal.refresh_from_db()
    assert (confocal.status, confocal.status_note) == ("limited", "405 nm laser off")
    assert not Outage.objects.exists()
    assert {Booking.objects.get(pk=b.pk).status for b in bookings} == {"confirmed"}


def test_each_change_is_logged_on_the_resource(confocal, bookings, coordinator):
    down(confocal, coordinator)

    entry = ModelLogEntry.objects.get(action="booking.status.down")
    assert entry.user_id == coordinator.pk
    assert entry.data["bookings"] == [b.pk for b in bookings[:3]]


def test_a_coordinator_of_another_lab_is_refused(confocal, facility, bookings):
    stranger = make_coordinator(facility.proteomics_lab)

    with pytest.raises(StatusRefused) as refused:
        down(confocal, stranger)

    assert refused.value.codes == ["not_lab_staff"]
    assert refused.value.status == 403
    assert not Outage.objects.exists()
    assert {Booking.objects.get(pk=b.pk).status for b in bookings} == {"confirmed"}


def test_a_researcher_is_refused(confocal, researcher):
    with pytest.raises(StatusRefused) as refused:
        down(confocal, researcher)

    assert refused.value.codes == ["not_lab_staff"]


def test_an_inactive_instrument_is_refused(confocal, coordinator):
    Resource.objects.filter(pk=confocal.pk).update(is_active=False)
    confocal.refresh_from_db()

    with pytest.raises(StatusRefused) as refused:
        down(confocal, coordinator)

    assert refused.value.codes == ["resource_inactive"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (StatusChange(status="broken", note="x"), "unknown_status"),
        (StatusChange(status=Status.DOWN, expected_back=at(2, 9)), "status_note_missing"),
        (StatusChange(status=Status.LIMITED, note="   "), "status_note_missing"),
        (StatusChange(status=Status.LIMITED, note="x" * 301), "status_note_too_long"),
        (StatusChange(status=Status.DOWN, note="Laser failed"), "expected_back_missing"),
        (
            StatusChange(status=Status.DOWN, note="Laser failed", expected_back=at(0, 8)),
            "expected_back_past",
        ),
        (
            StatusChange(
                status=Status.DOWN, note="Laser", expected_back=datetime.datetime(2030, 3, 6)
            ),
            "naive_datetime",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(confocal, coordinator, bookings, change, code):
    with pytest.raises(StatusRefused) as refused:
        down(confocal, coordinator, change)

    assert refused.value.codes == [code]
    confocal.refresh_from_db()
    assert confocal.status == "up"
    assert not Outage.objects.exists()
    assert {Booking.objects.get(pk=b.pk).status for b in bookings} == {"confirmed"}


def test_down_again_moves_the_expected_return_of_the_same_outage(confocal, coordinator):
    down(confocal, coordinator)
    later = NOW + datetime.timedelta(hours=1)
    longer = StatusChange(status=Status.DOWN, note="Waiting for a part", expected_back=at(4, 9))

    set_resource_status(resource=confocal, change=longer, by=coordinator, now=later)

    outage = Outage.objects.get(resource=confocal)
    assert (outage.starts_at, outage.ends_at) == (NOW, at(4, 9))
    assert outage.reason == "Waiting for a part"


# Calendar feeds.


def test_the_resource_feed_carries_the_outage(confocal, coordinator):
    down(confocal, coordinator)

    (event,) = parse(ics.resource_feed(confocal, viewer=coordinator, now=NOW)).events
    assert str(event["SUMMARY"]) == "Down: Laser failed"
    assert (event.start, event.end) == (NOW, at(2, 9))


def test_a_booking_kept_in_the_outage_says_so_in_the_personal_feed(
    confocal, bookings, bookers, coordinator
):
    change = StatusChange(
        status=Status.DOWN, note="Laser failed", expected_back=at(2, 9), cancel_hit=False
    )
    down(confocal, coordinator, change)
    confocal.refresh_from_db()

    (event,) = parse(ics.personal_feed(bookers[0][0], now=NOW)).events
    assert "Instrument down until 09:00 on 06 March: Laser failed" in str(event["DESCRIPTION"])
