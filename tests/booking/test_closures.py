"""Closures: like maintenance, a closure over bookings cancels them with its reason and tells
each booker, through the same path (booking/services/blocking.py)."""

import datetime

import pytest

from booking.models import Booking, Closure, OpeningHours
from booking.services import (
    BlockRefused,
    bookings_hit_by_closure,
    check_in,
    create_closure,
    request_booking,
)
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from workflows.models import ApprovalRequest, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(db):
    return UserFactory(email="cora.coordinator@example.org", first_name="Cora")


@pytest.fixture
def other(db):
    return UserFactory(email="olga.other@example.org")


@pytest.fixture
def held(instrument, booker, project, other) -> dict[str, Booking]:
    """Tomorrow on the instrument: other's confirmed 10–11; booker's 18–19, outside opening
    hours, so a request waiting for approval; and booker's 10–11 on another of the lab's tools."""
    instrument.allow_outside_hours = True
    instrument.save()
    for weekday in range(7):
        OpeningHours.objects.create(
            resource=instrument, weekday=weekday, opens=datetime.time(9), closes=datetime.time(17)
        )
    sibling = ResourceFactory(name="Sibling tool", lab=instrument.lab)

    def book(user, resource, start, end, project):
        return request_booking(
            user=user, resource=resource, project=project, start=start, end=end, now=NOW
        )

    return {
        "confirmed": book(other, instrument, at(1, 10), at(1, 11), ProjectFactory(members=[other])),
        "requested": book(booker, instrument, at(1, 18), at(1, 19), project),
        "sibling": book(booker, sibling, at(1, 10), at(1, 11), project),
    }


def close_instrument(instrument, coordinator, **changes) -> Closure:
    return create_closure(
        **{
            "resource": instrument,
            "starts_at": at(1, 0),
            "ends_at": at(2, 0),
            "reason": "Power work",
            "by": coordinator,
            "now": NOW,
            **changes,
        }
    )


def test_the_preview_lists_the_bookings_a_closure_would_cancel(instrument, held):
    hit = bookings_hit_by_closure(
        lab=None, resource=instrument, starts_at=at(1, 0), ends_at=at(2, 0)
    )

    assert list(hit) == [held["confirmed"], held["requested"]]


def test_a_lab_closure_hits_every_resource_of_the_lab(instrument, held):
    hit = bookings_hit_by_closure(
        lab=instrument.lab, resource=None, starts_at=at(1, 0), ends_at=at(2, 0)
    )

    assert set(hit) == {held["confirmed"], held["requested"], held["sibling"]}


def test_a_closure_cancels_confirmed_and_requested_bookings_with_its_reason(
    instrument, held, coordinator
):
    assert held["requested"].status == Booking.Status.REQUESTED

    close_instrument(instrument, coordinator)

    for name in ("confirmed", "requested"):
        booking = Booking.objects.get(pk=held[name].pk)
        assert booking.status == Booking.Status.CANCELLED
        assert booking.cancel_reason == "Closed: Power work"
        assert booking.late_cancellation is False and booking.cancelled_at == NOW
    assert Booking.objects.get(pk=held["sibling"].pk).status == Booking.Status.CONFIRMED
    request = ApprovalRequest.objects.get(booking=held["requested"])
    assert request.status != ApprovalRequest.Status.PENDING


def test_each_booker_hit_by_a_closure_gets_one_notice_with_the_reason(
    instrument, held, coordinator, booker, other
):
    before = set(OutboxMessage.objects.values_list("pk", flat=True))

    close_instrument(instrument, coordinator)

    notices = OutboxMessage.objects.exclude(pk__in=before)
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted([booker.pk, other.pk])
    for notice in notices:
        assert notice.event == "booking_cancelled_by_staff"
        assert notice.context["reason"] == "Closed: Power work"


def test_a_closure_over_a_session_in_progress_is_refused(instrument, held, coordinator, other):
    check_in(booking=held["confirmed"], by=other, now=at(1, 10))

    with pytest.raises(BlockRefused) as refused:
        close_instrument(instrument, coordinator, now=at(1, 10, 5))

    assert refused.value.codes == ["resource_in_use"]
    assert not Closure.objects.exists()
    assert Booking.objects.get(pk=held["requested"].pk).status == Booking.Status.REQUESTED
