"""/api/v1/bookings/{id}/check-in/ and check-out/: the attendance service's window rules,
with their codes."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from booking.models import Booking
from people.api_tokens import create_token
from tests.conftest import sign_in_with_second_factor
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def starting_in(resource, user, project, minutes: int, *, status=Booking.Status.CONFIRMED):
    """A booking of an hour starting `minutes` from now (negative: already started)."""
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=minutes)
    return Booking.objects.create(
        resource=resource,
        user=user,
        project=project,
        start=start,
        end=start + datetime.timedelta(hours=1),
        status=status,
        exclusive=resource.is_exclusive,
    )


def check_in(api, booking):
    return api.post(f"/api/v1/bookings/{booking.pk}/check-in/")


def check_out(api, booking):
    return api.post(f"/api/v1/bookings/{booking.pk}/check-out/")


def test_the_booker_checks_in_and_out(api, instrument, booker, project):
    booking = starting_in(instrument, booker, project, 5)

    arrived = check_in(api, booking)

    assert arrived.status_code == 200, arrived.json()
    assert arrived.json()["status"] == "checked_in" and arrived.json()["checked_in_at"]
    left = check_out(api, booking)
    assert left.status_code == 200, left.json()
    assert left.json()["status"] == "completed" and left.json()["checked_out_at"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_checking_in_too_early_is_a_409(api, instrument, booker, project):
    booking = starting_in(instrument, booker, project, 60)

    response = check_in(api, booking)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "check_in_not_open" and "Check-in opens at" in body["message"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_checking_in_after_the_window_is_a_409(api, booker, project):
    releasing = ResourceFactory(release_no_shows=True, checkin_window=15)
    booking = starting_in(releasing, booker, project, -20)

    response = check_in(api, booking)

    assert response.status_code == 409 and response.json()["code"] == "check_in_closed"


def test_checking_out_before_checking_in_is_a_409(api, instrument, booker, project):
    booking = starting_in(instrument, booker, project, 5)

    response = check_out(api, booking)

    assert response.status_code == 409 and response.json()["code"] == "not_checked_in"


def test_a_cancelled_booking_cannot_be_checked_in(api, instrument, booker, project):
    booking = starting_in(instrument, booker, project, 5, status=Booking.Status.CANCELLED)

    response = check_in(api, booking)

    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


def test_someone_elses_booking_is_not_found(api, instrument, rival, rival_project):
    booking = starting_in(instrument, rival, rival_project, 5)

    for response in (check_in(api, booking), check_out(api, booking)):
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_staff_who_see_a_booking_may_not_check_it_in(facility, coordinator, booker, project):
    booking = starting_in(facility.confocal.resource, booker, project, 5)
    staff = APIClient()
    sign_in_with_second_factor(staff, coordinator)

    assert staff.get(f"/api/v1/bookings/{booking.pk}/").status_code == 200
    response = check_in(staff, booking)

    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_read_only_token_cannot_check_in(instrument, booker, project):
    booking = starting_in(instrument, booker, project, 5)
    client = APIClient()
    _, raw = create_token(user=booker, name="kiosk", scope="read", days=30)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = check_in(client, booking)

    assert response.status_code == 403 and response.json()["code"] == "token_read_only"
