"""API clients for the booker and a rival, and times relative to the real clock.

The API books against the real `now`, so bookings here are made a few days ahead.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from booking.models import Booking
from booking.services import request_booking
from labitory.clock import facility_zone
from people.models import User
from tests.factories import ProjectFactory, UserFactory


def soon(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A facility-local time `days` days after today."""
    zone = facility_zone()
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def book(user: User, resource, project, start, end) -> Booking:
    return request_booking(user=user, resource=resource, project=project, start=start, end=end)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def api(booker) -> APIClient:
    """The booker, signed in through the session as a browser would be."""
    client = APIClient()
    client.force_login(booker)
    return client


@pytest.fixture
def rival(db) -> User:
    return UserFactory(email="rik.rival@example.org")


@pytest.fixture
def rival_project(rival):
    return ProjectFactory(code="CHEM-7", members=[rival])


def utc(moment: datetime.datetime) -> str:
    """How the API writes a time: ISO 8601 in UTC with a Z."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
