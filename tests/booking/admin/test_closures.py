"""Closures and maintenance windows in the admin: each previews the bookings it cancels."""

import datetime

import pytest
from django.urls import reverse

from booking.models import Booking, Closure, MaintenanceWindow
from tests.booking.admin.conftest import (
    assert_denied,
    book,
    messages,
    url,
)
from tests.booking.conftest import at

# Closures, maintenance windows and qualifications.


@pytest.fixture
def orbitrap_closure(orbitrap):
    return Closure.objects.create(
        resource=orbitrap, starts_at=at(3, 0), ends_at=at(4, 0), reason="Source cleaning"
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
