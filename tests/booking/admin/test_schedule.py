"""The lab schedule: a coordinator's day and week of their labs' bookings, with names."""

from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from booking.models import Booking, BookingAnswer
from tests.booking.admin.conftest import (
    assert_denied,
    book,
    url,
)
from tests.booking.conftest import at
from tests.conftest import make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

# The lab schedule.


def schedule_url(**query) -> str:
    return reverse("lab_schedule:index") + "?" + urlencode(query)


def test_the_lab_schedule_shows_the_days_bookings_with_names(
    as_coordinator, facility, confocal_booking, imaging_closure
):
    response = as_coordinator.get(
        schedule_url(date=at(1, 0).date().isoformat(), lab=facility.imaging_lab.lab.pk)
    )

    assert response.status_code == 200
    assert "Zeiss LSM 980" in response.text
    assert "Rosa Franklin" in response.text
    assert "10:00–11:00" in response.text
    assert url(Booking, "inspect", confocal_booking.pk) in response.text


def test_the_lab_schedule_shows_each_bookings_answers(as_coordinator, facility, confocal_booking):
    BookingAnswer.objects.create(booking=confocal_booking, question_text="Biosafety level",
                                 kind="short_text", value="2")  # fmt: skip

    for view in ("day", "week"):
        response = as_coordinator.get(schedule_url(date=at(1, 0).date().isoformat(), view=view))
        assert "Biosafety level: 2" in response.text, view


def test_the_weeks_schedule_lists_each_days_entries(
    as_coordinator, confocal_booking, imaging_closure
):
    response = as_coordinator.get(schedule_url(date=at(0, 0).date().isoformat(), view="week"))

    assert response.status_code == 200
    assert "Rosa Franklin" in response.text
    assert "Closed:" in response.text
    assert "Lab move" in response.text


def test_the_lab_selector_offers_only_the_coordinators_labs(as_coordinator, facility):
    response = as_coordinator.get(schedule_url())

    assert response.context["labs"] == [facility.imaging_lab.lab]


def test_another_labs_schedule_is_refused(as_coordinator, facility):
    assert_denied(as_coordinator.get(schedule_url(lab=facility.proteomics_lab.lab.pk)))


def test_the_schedule_is_refused_to_staff_without_a_lab(client, finance):
    sign_in_with_second_factor(client, finance)

    assert_denied(client.get(schedule_url()))


def test_the_schedule_runs_the_same_queries_for_one_booking_or_many(
    as_coordinator, confocal, rosa, project
):
    day = at(1, 0).date().isoformat()
    book(confocal, rosa, project, 1, 8)
    as_coordinator.get(schedule_url(date=day))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_coordinator.get(schedule_url(date=day)).status_code == 200
        return len(captured)

    one = queries()
    for hour in (10, 12, 14, 16):
        other = UserFactory()
        book(confocal, other, ProjectFactory(members=[other]), 1, hour)
    assert queries() == one


def test_a_site_admin_chooses_any_labs_schedule(client, site_admin, facility, orbitrap_booking):
    sign_in_with_second_factor(client, site_admin)

    response = client.get(
        schedule_url(lab=facility.proteomics_lab.lab.pk, date=at(1, 0).date().isoformat())
    )

    assert response.status_code == 200
    assert "Orbitrap Exploris" in response.text


def test_a_second_labs_coordinator_sees_only_that_lab(client, facility, confocal_booking):
    sign_in_with_second_factor(client, make_coordinator(facility.proteomics_lab))

    assert not client.get(url(Booking, "list")).context["object_list"]
