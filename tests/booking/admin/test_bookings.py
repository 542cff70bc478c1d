"""Bookings in the admin: listing, inspecting, filtering and cancelling, lab by lab."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.users.models import UserProfile

from booking.models import Booking, BookingQuestion, Lab
from booking.services import request_booking
from tests.booking.admin.conftest import (
    assert_denied,
    book,
    messages,
    url,
)
from tests.booking.conftest import NOW, at
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

# Bookings.


def test_a_coordinator_lists_only_their_labs_bookings(
    as_coordinator, confocal_booking, orbitrap_booking
):
    response = as_coordinator.get(url(Booking, "list"))

    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert rows == [confocal_booking]
    assert "Rosa Franklin" in response.text
    assert "BIO-2041" in response.text


def test_the_booking_listing_runs_the_same_queries_for_one_booking_or_many(
    as_coordinator, confocal, rosa, project
):
    book(confocal, rosa, project, 1, 8)
    as_coordinator.get(url(Booking, "list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_coordinator.get(url(Booking, "list")).status_code == 200
        return len(captured)

    one = queries()
    for hour in (10, 12, 14):
        other = UserFactory()
        book(confocal, other, ProjectFactory(members=[other]), 1, hour)
    assert queries() == one


def test_the_booking_listing_shows_the_start_in_the_facility_zone(
    as_coordinator, coordinator, confocal_booking
):
    # The editor prefers New York time; booking times stay in the facility's (London) time.
    profile = UserProfile.get_for_user(coordinator)
    profile.current_time_zone = "America/New_York"
    profile.save()

    response = as_coordinator.get(url(Booking, "list"))

    assert "Tue 5 Mar 2030, 10:00" in response.text


def test_a_coordinator_inspects_their_labs_booking_with_its_history(
    as_coordinator, confocal_booking
):
    response = as_coordinator.get(url(Booking, "inspect", confocal_booking.pk))

    assert response.status_code == 200
    assert "Booking confirmed" in response.text
    assert "Rosa Franklin" in response.text


def test_a_coordinator_sees_the_answers_on_the_booking(as_coordinator, confocal, rosa, project):
    level = BookingQuestion.objects.create(resource=confocal, text="Biosafety level")
    booking = request_booking(user=rosa, resource=confocal, project=project, start=at(1, 10),
                              end=at(1, 11), answers={str(level.pk): "=2+2"}, now=NOW)  # fmt: skip

    page = as_coordinator.get(url(Booking, "inspect", booking.pk)).text

    assert "Answers to the booking questions" in page
    assert "Biosafety level" in page and "=2+2" in page


def test_the_booking_export_carries_the_answers_as_text(as_coordinator, confocal, rosa, project):
    # A coordinator's wording that a spreadsheet would run as a formula is written as text.
    level = BookingQuestion.objects.create(resource=confocal, text="@SUM(1) level")
    request_booking(user=rosa, resource=confocal, project=project, start=at(1, 10),
                    end=at(1, 11), answers={str(level.pk): "=HYPERLINK(1)"}, now=NOW)  # fmt: skip

    response = as_coordinator.get(url(Booking, "list") + "?export=csv")

    body = b"".join(response.streaming_content if response.streaming else [response.content])
    assert response.status_code == 200
    assert "Answers" in body.decode() and "'@SUM(1) level: =HYPERLINK(1)" in body.decode()


def test_a_coordinator_reads_their_labs_booking_history(as_coordinator, confocal_booking):
    response = as_coordinator.get(url(Booking, "history", confocal_booking.pk))

    assert response.status_code == 200
    assert "Booking confirmed" in response.text


def test_the_inspect_page_shows_times_in_the_facility_zone_and_no_internals(
    as_coordinator, confocal_booking
):
    response = as_coordinator.get(url(Booking, "inspect", confocal_booking.pk))

    assert "Tue 5 Mar 2030, 10:00" in response.text
    assert "Exclusive" not in response.text


def test_a_coordinator_is_refused_another_labs_booking(as_coordinator, orbitrap_booking):
    assert_denied(as_coordinator.get(url(Booking, "inspect", orbitrap_booking.pk)))
    assert_denied(as_coordinator.get(url(Booking, "history", orbitrap_booking.pk)))


def test_there_is_no_booking_editor(as_coordinator, confocal_booking):
    response = as_coordinator.get(url(Booking, "edit", confocal_booking.pk))

    assert response.status_code == 302
    assert response["Location"] == url(Booking, "inspect", confocal_booking.pk)


def test_bookings_cannot_be_added_or_deleted_in_the_admin(client, confocal_booking):
    sign_in_with_second_factor(client, UserFactory(is_superuser=True))

    assert_denied(client.get(url(Booking, "add")))
    assert_denied(client.post(url(Booking, "delete", confocal_booking.pk)))
    assert Booking.objects.filter(pk=confocal_booking.pk).exists()


def test_a_coordinator_cancels_a_booking_through_the_service(
    as_coordinator, coordinator, confocal_booking
):
    response = as_coordinator.post(
        url(Booking, "cancel", confocal_booking.pk), {"reason": "Laser fault"}
    )

    assert response.status_code == 302
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CANCELLED
    assert confocal_booking.cancel_reason == "Laser fault"
    entry = log_registry.get_logs_for_instance(confocal_booking).get(action="booking.cancelled")
    assert entry.user == coordinator


def test_the_cancel_page_asks_for_a_reason_first(as_coordinator, confocal_booking):
    response = as_coordinator.get(url(Booking, "cancel", confocal_booking.pk))

    assert response.status_code == 200
    assert "Cancel this booking" in response.text
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CONFIRMED


def test_a_coordinator_cannot_cancel_another_labs_booking(as_coordinator, orbitrap_booking):
    assert_denied(as_coordinator.post(url(Booking, "cancel", orbitrap_booking.pk)))
    orbitrap_booking.refresh_from_db()
    assert orbitrap_booking.status == Booking.Status.CONFIRMED


def test_a_cancelled_booking_cannot_be_cancelled_again(as_coordinator, confocal_booking):
    as_coordinator.post(url(Booking, "cancel", confocal_booking.pk))

    response = as_coordinator.post(url(Booking, "cancel", confocal_booking.pk))

    assert response["Location"] == url(Booking, "inspect", confocal_booking.pk)
    assert "This booking is cancelled: it cannot be cancelled." in messages(response)


def test_an_ended_booking_offers_no_cancel_and_refuses_one(as_coordinator, confocal_booking):
    # Confirmed but over: the service refuses it, so the admin neither offers nor takes it.
    cancel_url = url(Booking, "cancel", confocal_booking.pk)
    assert cancel_url in as_coordinator.get(url(Booking, "inspect", confocal_booking.pk)).text
    ended = timezone.now() - datetime.timedelta(days=1)
    Booking.objects.filter(pk=confocal_booking.pk).update(
        start=ended - datetime.timedelta(hours=1), end=ended
    )

    inspect = as_coordinator.get(url(Booking, "inspect", confocal_booking.pk))
    response = as_coordinator.post(cancel_url)

    assert cancel_url not in inspect.text
    assert response["Location"] == url(Booking, "inspect", confocal_booking.pk)
    assert "This booking has already ended, so it cannot be cancelled." in messages(response)
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CONFIRMED


class TestBookingFilters:
    @pytest.fixture
    def bookings(self, facility, confocal, rosa, project):
        sted = ResourceFactory(name="STED", lab=confocal.lab)
        ada = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
        ada_project = ProjectFactory(code="MATH-1", members=[ada])
        cancelled = book(confocal, rosa, project, 1, 9)
        cancelled.status = Booking.Status.CANCELLED
        cancelled.save()
        return {
            "rosa_tomorrow": book(confocal, rosa, project, 1, 12),
            "ada_next_week": book(sted, ada, ada_project, 7, 10),
            "cancelled": cancelled,
            "sted": sted,
        }

    def listed(self, client, **query) -> set[int]:
        response = client.get(url(Booking, "list"), query)
        assert response.status_code == 200
        return {booking.pk for booking in response.context["object_list"]}

    def test_by_resource(self, as_coordinator, bookings):
        assert self.listed(as_coordinator, resource=bookings["sted"].pk) == {
            bookings["ada_next_week"].pk
        }

    def test_by_lab(self, as_coordinator, bookings, facility):
        assert len(self.listed(as_coordinator, lab=facility.imaging_lab.lab.pk)) == 3

    def test_by_status(self, as_coordinator, bookings):
        assert self.listed(as_coordinator, status="cancelled") == {bookings["cancelled"].pk}

    def test_by_user(self, as_coordinator, bookings):
        assert self.listed(as_coordinator, user="lovelace") == {bookings["ada_next_week"].pk}

    def test_by_start_date(self, as_coordinator, bookings):
        day = at(7, 0).date().isoformat()
        listed = self.listed(as_coordinator, start_from=day, start_to=day)

        assert listed == {bookings["ada_next_week"].pk}

    def test_the_lab_filter_offers_only_the_coordinators_lab(self, as_coordinator, bookings):
        response = as_coordinator.get(url(Booking, "list"))

        labs = list(response.context["filters"].form.fields["lab"].queryset)
        assert labs == list(Lab.objects.filter(name="Imaging"))

    def test_another_labs_resource_is_not_a_valid_filter(self, as_coordinator, bookings, orbitrap):
        response = as_coordinator.get(url(Booking, "list"), {"resource": orbitrap.pk})

        assert "resource" in response.context["filters"].errors
