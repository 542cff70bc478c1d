"""Setting an instrument's status in the admin: down previews the bookings it hits, then
cancels them (or warns their bookers) on confirmation."""

import pytest

from booking.models import Booking, Outage, Resource
from tests.booking.admin.conftest import assert_denied, book, messages, url
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
DOWN = {"status": "down", "note": "Laser failed", "expected_back": "2030-03-06T09:00"}


@pytest.fixture
def three_bookings(confocal) -> list[Booking]:
    people = [UserFactory(email=f"b{n}@example.org") for n in range(3)]
    return [
        book(confocal, person, ProjectFactory(members=[person]), 0, 10 + 2 * n)
        for n, person in enumerate(people)
    ]


def test_down_first_lists_the_bookings_it_hits_and_changes_nothing(
    as_coordinator, confocal, three_bookings
):
    response = as_coordinator.post(
        url(Resource, "status", confocal.pk), {**DOWN, "on_hit": "cancel"}
    )

    assert response.status_code == 200
    assert "The outage hits 3 upcoming bookings" in response.text
    confocal.refresh_from_db()
    assert confocal.status == "up"
    assert not Outage.objects.exists()


def test_confirming_cancels_the_bookings_shown(as_coordinator, confocal, three_bookings):
    shown = ",".join(str(b.pk) for b in three_bookings)

    response = as_coordinator.post(
        url(Resource, "status", confocal.pk),
        {**DOWN, "on_hit": "cancel", "confirm_bookings": shown},
    )

    assert response.status_code == 302
    assert "Zeiss LSM 980 is now down. 3 bookings cancelled." in messages(response)
    assert {Booking.objects.get(pk=b.pk).status for b in three_bookings} == {"cancelled"}
    confocal.refresh_from_db()
    assert confocal.status == "down"


def test_confirming_with_warn_keeps_the_bookings(as_coordinator, confocal, three_bookings):
    shown = ",".join(str(b.pk) for b in three_bookings)

    as_coordinator.post(
        url(Resource, "status", confocal.pk),
        {**DOWN, "on_hit": "warn", "confirm_bookings": shown},
    )

    assert {Booking.objects.get(pk=b.pk).status for b in three_bookings} == {"confirmed"}
    assert Outage.objects.filter(resource=confocal).exists()


def test_bad_input_is_shown_next_to_the_field(as_coordinator, confocal):
    response = as_coordinator.post(
        url(Resource, "status", confocal.pk),
        {"status": "down", "note": "Broken", "on_hit": "cancel"},
    )

    assert response.status_code == 200
    assert "Say when it is expected back" in response.text
    confocal.refresh_from_db()
    assert confocal.status == "up"


def test_another_labs_instrument_is_refused(as_coordinator, orbitrap):
    assert_denied(
        as_coordinator.post(url(Resource, "status", orbitrap.pk), {**DOWN, "on_hit": "cancel"})
    )

    orbitrap.refresh_from_db()
    assert orbitrap.status == "up"


def test_the_status_screen_names_the_instrument(as_coordinator, confocal):
    response = as_coordinator.get(url(Resource, "status", confocal.pk))

    assert response.status_code == 200
    assert "Instrument status" in response.text and "Zeiss LSM 980" in response.text
