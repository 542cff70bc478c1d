"""Staff record attendance in the admin: the booking's screen and the lab schedule lead to a
form that calls record_attendance; the reason shows in the booking's history; another lab's
booking is refused and stays as it was."""

import datetime

import pytest
from django.utils import timezone

from booking.models import Booking
from tests.booking.admin.conftest import assert_denied, messages, url
from tests.conftest import make_coordinator, sign_in_with_second_factor

pytestmark = pytest.mark.django_db

ATTENDANCE = Booking, "attendance"


def under_way(booking: Booking) -> Booking:
    """The booking moved to have begun five minutes ago (the admin runs on the real clock)."""
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(
        start=start, end=start + datetime.timedelta(hours=1)
    )
    return Booking.objects.get(pk=booking.pk)


def test_the_booking_screen_leads_to_the_form(as_coordinator, confocal_booking):
    booking = under_way(confocal_booking)
    response = as_coordinator.get(url(Booking, "inspect", booking.pk))
    assert url(*ATTENDANCE, booking.pk) in response.text and "Record attendance" in response.text


def test_the_form_offers_what_the_booking_allows_now(as_coordinator, confocal_booking):
    booking = under_way(confocal_booking)
    response = as_coordinator.get(url(*ATTENDANCE, booking.pk))
    choices = [value for value, _ in response.context["form"].fields["action"].choices]
    assert choices == ["check_in", "no_show"]


def test_a_coordinator_checks_rosa_in_and_the_history_shows_why(
    as_coordinator, coordinator, confocal_booking
):
    booking = under_way(confocal_booking)
    response = as_coordinator.post(
        url(*ATTENDANCE, booking.pk), {"action": "check_in", "reason": "Card reader down"}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert any("Rosa Franklin checked in" in text for text in messages(response))
    page = as_coordinator.get(url(Booking, "inspect", booking.pk)).text
    assert "Recorded by staff: Card reader down" in page and coordinator.name in page


def test_a_no_show_goes_back_to_the_schedule(as_coordinator, confocal_booking):
    booking = under_way(confocal_booking)
    schedule = "/admin/lab-schedule/?view=day"
    response = as_coordinator.post(
        url(*ATTENDANCE, booking.pk),
        {"action": "no_show", "reason": "Not seen by 10:15", "next": schedule},
    )
    assert response["Location"] == schedule
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.NO_SHOW


def test_without_a_reason_the_form_says_so_next_to_the_field(as_coordinator, confocal_booking):
    booking = under_way(confocal_booking)
    response = as_coordinator.post(url(*ATTENDANCE, booking.pk), {"action": "check_in"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why you record this for them."]
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_a_coordinator_of_another_lab_is_refused_and_nothing_changes(
    client, facility, orbitrap_booking
):
    booking = under_way(orbitrap_booking)
    other = make_coordinator(facility.imaging_lab)
    sign_in_with_second_factor(client, other)

    assert_denied(client.get(url(*ATTENDANCE, booking.pk)))
    assert_denied(client.post(url(*ATTENDANCE, booking.pk), {"action": "no_show", "reason": "x"}))
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED


def test_the_lab_schedule_offers_attendance_on_each_booking(as_coordinator, confocal_booking):
    booking = under_way(confocal_booking)
    day = timezone.localdate(booking.start).isoformat()
    response = as_coordinator.get(f"/admin/lab-schedule/?view=day&date={day}")
    assert url(*ATTENDANCE, booking.pk) in response.text
