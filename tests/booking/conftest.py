"""A bookable instrument, a researcher on a project, and an explicit clock."""

import datetime
import zoneinfo

import pytest

from booking.models import Resource
from people.models import Project, User
from tests.factories import ProjectFactory, ResourceFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Tests pass this as `now`; bookings are made relative to it.
NOW = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=LONDON)  # a Monday


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time `day_offset` days after NOW's date."""
    day = NOW.date() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def instrument(db) -> Resource:
    return ResourceFactory(name="Confocal LSM 980", capacity=1, granularity=15, max_duration=240)


@pytest.fixture
def booker(db) -> User:
    return UserFactory(email="bea.booker@example.org")


@pytest.fixture
def project(booker) -> Project:
    return ProjectFactory(code="BIO-2041", members=[booker])
