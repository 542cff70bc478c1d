"""Shared set-up of the admin tests: a coordinator of the Imaging lab, each lab's instrument
and a booking on each.

A coordinator of the Imaging lab works on Imaging's resources, bookings, closures, maintenance
windows and qualifications; anything of the Proteomics lab is refused the way Wagtail refuses
a page outside one's tree: a redirect to the dashboard with "permission denied".
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from booking.models import Booking, Closure, Resource
from booking.services import request_booking
from tests.booking.conftest import NOW, at
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

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


@pytest.fixture
def imaging_closure(facility):
    return Closure.objects.create(
        lab=facility.imaging_lab.lab, starts_at=at(3, 0), ends_at=at(4, 0), reason="Lab move"
    )
