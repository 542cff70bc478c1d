"""Bookings, resource rules and the lab schedule in the Wagtail admin, scoped to the user's lab.

A coordinator of the Imaging lab works on Imaging's resources, bookings, closures, maintenance
windows and qualifications; anything of the Proteomics lab is refused the way Wagtail refuses
a page outside one's tree: a redirect to the dashboard with "permission denied".
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.test.utils.form_data import inline_formset, nested_form_data
from wagtail.users.models import UserProfile

from booking.models import Booking, Closure, Lab, MaintenanceWindow, Qualification, Resource
from booking.services import request_booking
from tests.booking.conftest import NOW, at
from tests.conftest import make_coordinator, sign_in_with_second_factor
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


def url(model, view: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def messages(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def assert_denied(response) -> None:
    """What Wagtail does when an admin view raises PermissionDenied."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert PERMISSION_DENIED in messages(response)


@pytest.fixture
def confocal(facility) -> Resource:
    return facility.confocal.resource


@pytest.fixture
def orbitrap(facility) -> Resource:
    return facility.orbitrap.resource


@pytest.fixture
def rosa(db):
    return UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Franklin")


@pytest.fixture
def project(rosa):
    return ProjectFactory(code="BIO-2041", members=[rosa])


def book(resource, user, project, day: int, hour: int, hours: int = 1) -> Booking:
    return request_booking(
        user=user,
        resource=resource,
        project=project,
        start=at(day, hour),
        end=at(day, hour + hours),
        now=NOW,
    )


@pytest.fixture
def confocal_booking(confocal, rosa, project) -> Booking:
    return book(confocal, rosa, project, 1, 10)


@pytest.fixture
def orbitrap_booking(orbitrap, rosa, project) -> Booking:
    return book(orbitrap, rosa, project, 1, 10)


@pytest.fixture
def as_coordinator(client, coordinator):
    sign_in_with_second_factor(client, coordinator)
    return client


# Resources.


def test_a_coordinator_lists_only_their_labs_resources(as_coordinator, confocal, orbitrap):
    response = as_coordinator.get(url(Resource, "list"))

    assert response.status_code == 200
    assert confocal.name in response.text
    assert orbitrap.name not in response.text


def test_a_coordinator_opens_their_labs_resource_editor(as_coordinator, confocal):
    response = as_coordinator.get(url(Resource, "edit", confocal.pk))

    assert response.status_code == 200
    for heading in ("General", "Booking rules", "Attendance &amp; billing", "Access"):
        assert heading in response.text


def test_a_coordinator_is_refused_another_labs_resource_editor(as_coordinator, orbitrap):
    assert_denied(as_coordinator.get(url(Resource, "edit", orbitrap.pk)))


@pytest.mark.parametrize("view", ["history", "usage", "delete"])
def test_a_coordinator_is_refused_every_other_view_of_another_labs_resource(
    as_coordinator, orbitrap, view
):
    assert_denied(as_coordinator.get(url(Resource, view, orbitrap.pk)))


def test_the_resource_form_offers_only_the_coordinators_lab(as_coordinator, facility):
    response = as_coordinator.get(url(Resource, "add"))

    choices = list(response.context["form"].fields["lab"].queryset)
    assert choices == [facility.imaging_lab.lab]
    assert "Proteomics" not in response.text


def resource_form(resource: Resource, **changes) -> dict:
    fields = {
        "name": resource.name,
        "lab": resource.lab_id,
        "category": resource.category_id,
        "capacity": resource.capacity,
        "is_active": "on",
        "granularity": 30,
        "min_duration": 30,
        "max_duration": 180,
        "min_notice": 60,
        "horizon_days": 60,
        "buffer": 15,
        "max_future_bookings": 3,
        "cancellation_cutoff": 48,
        "checkin_window": 20,
        "release_no_shows": "on",
        "billing_basis": "actual",
        "required_policies": inline_formset([]),
        "opening_hours": inline_formset(
            [
                {"weekday": 0, "opens": "08:00", "closes": "12:00"},
                {"weekday": 0, "opens": "13:00", "closes": "18:00"},
            ]
        ),
        "quotas": inline_formset([{"scope": "user", "period": "week", "hours": "6"}]),
    }
    fields.update(changes)
    return nested_form_data(fields)


def test_a_coordinator_saves_a_resources_rules_with_a_revision(
    as_coordinator, coordinator, confocal
):
    response = as_coordinator.post(url(Resource, "edit", confocal.pk), resource_form(confocal))

    assert response.status_code == 302
    confocal.refresh_from_db()
    assert (confocal.granularity, confocal.buffer, confocal.billing_basis) == (30, 15, "actual")
    assert confocal.opening_hours.count() == 2
    assert confocal.quotas.get().hours == 6
    assert confocal.latest_revision.user == coordinator


def test_a_coordinator_cannot_move_a_resource_to_another_lab(as_coordinator, confocal, orbitrap):
    response = as_coordinator.post(
        url(Resource, "edit", confocal.pk), resource_form(confocal, lab=orbitrap.lab_id)
    )

    assert response.status_code == 200
    assert "lab" in response.context["form"].errors
    confocal.refresh_from_db()
    assert confocal.lab_id != orbitrap.lab_id


def test_a_coordinator_cannot_post_to_another_labs_resource(as_coordinator, orbitrap):
    response = as_coordinator.post(
        url(Resource, "edit", orbitrap.pk), resource_form(orbitrap, name="Vandalised")
    )

    assert_denied(response)
    assert Resource.objects.get(pk=orbitrap.pk).name == "Orbitrap Exploris"


def test_the_resource_chooser_lists_only_the_coordinators_resources(
    as_coordinator, confocal, orbitrap
):
    chooser = Resource.snippet_viewset.chooser_viewset
    response = as_coordinator.get(reverse(chooser.get_url_name("choose")))

    assert confocal.name in response.text
    assert orbitrap.name not in response.text


def test_a_site_admin_lists_every_labs_resources(client, site_admin, confocal, orbitrap):
    sign_in_with_second_factor(client, site_admin)

    response = client.get(url(Resource, "list"))

    assert confocal.name in response.text
    assert orbitrap.name in response.text


# Who gets in at all.


def test_a_researcher_is_refused_the_admin(client, researcher, confocal):
    client.force_login(researcher)

    for path in (url(Booking, "list"), url(Resource, "edit", confocal.pk)):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_sees_the_bookings_menu(as_coordinator):
    response = as_coordinator.get(reverse("wagtailadmin_home"))

    assert "Lab schedule" in response.text
    assert url(Booking, "list") in response.text


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


# Closures, maintenance windows and qualifications.


@pytest.fixture
def orbitrap_closure(orbitrap):
    return Closure.objects.create(
        resource=orbitrap, starts_at=at(3, 0), ends_at=at(4, 0), reason="Source cleaning"
    )


@pytest.fixture
def imaging_closure(facility):
    return Closure.objects.create(
        lab=facility.imaging_lab.lab, starts_at=at(3, 0), ends_at=at(4, 0), reason="Lab move"
    )


def test_a_coordinator_lists_only_their_labs_closures(
    as_coordinator, imaging_closure, orbitrap_closure
):
    response = as_coordinator.get(url(Closure, "list"))

    assert "Lab move" in response.text
    assert "Source cleaning" not in response.text


def test_a_coordinator_is_refused_another_labs_closure(as_coordinator, orbitrap_closure):
    assert_denied(as_coordinator.get(url(Closure, "edit", orbitrap_closure.pk)))


def test_a_coordinator_closes_their_lab(as_coordinator, facility):
    response = as_coordinator.post(
        url(Closure, "add"),
        {
            "lab": facility.imaging_lab.lab.pk,
            "resource": "",
            "starts_at": "2030-12-24 00:00",
            "ends_at": "2030-12-27 00:00",
            "reason": "Winter break",
        },
    )

    assert response.status_code == 302
    closure = Closure.objects.get(reason="Winter break")
    assert closure.starts_at == datetime.datetime(2030, 12, 24, tzinfo=datetime.UTC)


def test_a_coordinator_cannot_close_another_lab(as_coordinator, facility):
    response = as_coordinator.post(
        url(Closure, "add"),
        {
            "lab": facility.proteomics_lab.lab.pk,
            "starts_at": "2030-12-24 00:00",
            "ends_at": "2030-12-27 00:00",
            "reason": "Sabotage",
        },
    )

    assert response.status_code == 200
    assert "lab" in response.context["form"].errors
    assert not Closure.objects.filter(reason="Sabotage").exists()


def test_a_closure_needs_a_lab_or_a_resource(as_coordinator):
    response = as_coordinator.post(
        url(Closure, "add"),
        {"starts_at": "2030-12-24 00:00", "ends_at": "2030-12-27 00:00", "reason": "Nowhere"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def closure_form(facility, **changes) -> dict:
    return {
        "lab": facility.imaging_lab.lab.pk,
        "resource": "",
        "starts_at": at(1, 0).strftime("%Y-%m-%d %H:%M"),
        "ends_at": at(2, 0).strftime("%Y-%m-%d %H:%M"),
        "reason": "Lab move",
        **changes,
    }


def test_closing_over_bookings_first_shows_the_bookings_it_cancels(
    as_coordinator, facility, confocal_booking
):
    response = as_coordinator.post(url(Closure, "add"), closure_form(facility))

    assert response.status_code == 200
    assert [hit["booking"] for hit in response.context["hit_bookings"]] == [confocal_booking]
    assert "This closure cancels 1 booking" in response.text
    assert "Rosa Franklin" in response.text and "Zeiss LSM 980" in response.text
    assert not Closure.objects.exists()
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CONFIRMED


def test_confirming_a_closure_creates_it_and_cancels_the_bookings(
    as_coordinator, facility, confocal_booking
):
    response = as_coordinator.post(
        url(Closure, "add"), closure_form(facility, confirm_bookings=str(confocal_booking.pk))
    )

    assert response.status_code == 302
    assert Closure.objects.get().reason == "Lab move"
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CANCELLED
    assert confocal_booking.cancel_reason == "Closed: Lab move"
    assert "1 booking cancelled." in messages(response)[0]


def test_a_closures_scope_and_times_are_fixed_once_created(as_coordinator, imaging_closure):
    form = as_coordinator.get(url(Closure, "edit", imaging_closure.pk)).context["form"]

    assert all(form.fields[name].disabled for name in ("lab", "resource", "starts_at", "ends_at"))


def test_bulk_delete_refuses_another_labs_closure(as_coordinator, orbitrap_closure):
    """Another lab's closure is not found, as if it did not exist (tests/security/
    test_admin_scope.py covers every bulk action)."""
    response = as_coordinator.post(
        reverse("wagtail_bulk_action", args=("booking", "closure", "delete"))
        + f"?id={orbitrap_closure.pk}"
    )

    assert response.status_code == 404
    assert Closure.objects.filter(pk=orbitrap_closure.pk).exists()


@pytest.fixture
def orbitrap_window(orbitrap):
    return MaintenanceWindow.objects.create(
        resource=orbitrap, starts_at=at(5, 8), ends_at=at(5, 12), reason="Calibration"
    )


def test_a_coordinator_is_refused_another_labs_maintenance_window(as_coordinator, orbitrap_window):
    assert_denied(as_coordinator.get(url(MaintenanceWindow, "edit", orbitrap_window.pk)))
    assert "Calibration" not in as_coordinator.get(url(MaintenanceWindow, "list")).text


@pytest.fixture
def orbitrap_qualification(orbitrap, rosa):
    return Qualification.objects.create(user=rosa, resource=orbitrap)


def test_a_coordinator_is_refused_another_labs_qualification(
    as_coordinator, orbitrap_qualification
):
    assert_denied(as_coordinator.get(url(Qualification, "edit", orbitrap_qualification.pk)))
    assert not as_coordinator.get(url(Qualification, "list")).context["object_list"]


def test_a_coordinator_qualifies_a_user_and_is_recorded_as_grantor(
    as_coordinator, coordinator, confocal, rosa
):
    response = as_coordinator.post(
        url(Qualification, "add"),
        {"user": rosa.pk, "resource": confocal.pk, "expires_on": "2031-03-31", "note": ""},
    )

    assert response.status_code == 302
    qualification = Qualification.objects.get(user=rosa, resource=confocal)
    assert qualification.granted_by == coordinator
    assert qualification.expires_on == datetime.date(2031, 3, 31)


def test_a_coordinator_cannot_qualify_on_another_labs_resource(as_coordinator, orbitrap, rosa):
    response = as_coordinator.post(
        url(Qualification, "add"), {"user": rosa.pk, "resource": orbitrap.pk}
    )

    assert "resource" in response.context["form"].errors
    assert not Qualification.objects.exists()


# Maintenance windows: see the bookings hit, then confirm.


def maintenance_form(resource, **changes) -> dict:
    return {
        "resource": resource.pk,
        "starts_at": at(1, 9).strftime("%Y-%m-%d %H:%M"),
        "ends_at": at(1, 13).strftime("%Y-%m-%d %H:%M"),
        "reason": "Laser alignment",
        **changes,
    }


def test_scheduling_maintenance_first_shows_the_bookings_it_cancels(
    as_coordinator, confocal, confocal_booking
):
    response = as_coordinator.post(url(MaintenanceWindow, "add"), maintenance_form(confocal))

    assert response.status_code == 200
    assert [hit["booking"] for hit in response.context["hit_bookings"]] == [confocal_booking]
    assert "This window cancels 1 booking" in response.text
    assert "Rosa Franklin" in response.text
    assert not MaintenanceWindow.objects.exists()
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CONFIRMED


def test_confirming_maintenance_schedules_it_and_cancels_the_bookings(
    as_coordinator, coordinator, confocal, confocal_booking
):
    response = as_coordinator.post(
        url(MaintenanceWindow, "add"),
        maintenance_form(confocal, confirm_bookings=str(confocal_booking.pk)),
    )

    assert response.status_code == 302
    window = MaintenanceWindow.objects.get()
    assert (window.reason, window.created_by) == ("Laser alignment", coordinator)
    confocal_booking.refresh_from_db()
    assert confocal_booking.status == Booking.Status.CANCELLED
    assert "1 booking cancelled." in messages(response)[0]


def test_a_confirmation_for_other_bookings_asks_again(
    as_coordinator, confocal, confocal_booking, rosa, project
):
    shown = str(confocal_booking.pk)
    booked_since = book(confocal, rosa, project, 1, 12)

    response = as_coordinator.post(
        url(MaintenanceWindow, "add"), maintenance_form(confocal, confirm_bookings=shown)
    )

    assert response.status_code == 200
    assert len(response.context["hit_bookings"]) == 2
    assert not MaintenanceWindow.objects.exists()
    booked_since.refresh_from_db()
    assert booked_since.status == Booking.Status.CONFIRMED


def test_maintenance_over_no_bookings_is_scheduled_at_once(as_coordinator, confocal):
    response = as_coordinator.post(url(MaintenanceWindow, "add"), maintenance_form(confocal))

    assert response.status_code == 302
    assert MaintenanceWindow.objects.filter(resource=confocal).exists()


def test_maintenance_cannot_be_scheduled_on_another_labs_resource(as_coordinator, orbitrap):
    response = as_coordinator.post(url(MaintenanceWindow, "add"), maintenance_form(orbitrap))

    assert "resource" in response.context["form"].errors
    assert not MaintenanceWindow.objects.exists()


def test_a_scheduled_windows_times_are_fixed(as_coordinator, confocal):
    window = MaintenanceWindow.objects.create(
        resource=confocal, starts_at=at(5, 8), ends_at=at(5, 12), reason="Calibration"
    )

    as_coordinator.post(
        url(MaintenanceWindow, "edit", window.pk),
        maintenance_form(confocal, reason="Calibration and cleaning"),
    )

    window.refresh_from_db()
    assert window.reason == "Calibration and cleaning"
    assert window.starts_at == at(5, 8)


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
