"""An instrument with rate cards, a PI's project and its researcher, and finished bookings."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from booking.models import Booking, Resource
from people.models import Project, User
from people.roles import Role
from reporting.models import RateCard
from tests.factories import DepartmentFactory, ProjectFactory, ResourceFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
# October 2026 is over by then, November still open.
NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Statements are written to the private storage: a folder of this test's own."""
    settings.PRIVATE_ROOT = tmp_path / "private"


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def make_card(resource: Resource, **fields) -> RateCard:
    values = {
        "category": User.Category.INTERNAL,
        "hourly_rate": Decimal("42.00"),
        "booking_fee": Decimal("0"),
        "minimum_charge": Decimal("0"),
        "rounding_minutes": 15,
        "effective_from": datetime.date(2026, 1, 1),
        **fields,
    }
    return RateCard.objects.create(resource=resource, **values)


def finished(
    resource: Resource,
    user: User,
    project: Project,
    start: datetime.datetime,
    minutes: int = 60,
    status: str = Booking.Status.COMPLETED,
    **fields,
) -> Booking:
    """A booking already through its life cycle (the services are tested in tests/booking)."""
    return Booking.objects.create(
        resource=resource,
        user=user,
        project=project,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        status=status,
        exclusive=resource.is_exclusive,
        **fields,
    )


@pytest.fixture
def confocal(db) -> Resource:
    return ResourceFactory(name="Zeiss LSM 980", granularity=15)


@pytest.fixture
def card(confocal) -> RateCard:
    return make_card(confocal)


@pytest.fixture
def pi(db) -> User:
    return UserFactory(
        email="pat.pi@example.org", first_name="Pat", last_name="Pi", roles=[Role.APPROVER]
    )


@pytest.fixture
def researcher(db) -> User:
    return UserFactory(email="rae.researcher@example.org", roles=[Role.RESEARCHER])


@pytest.fixture
def department(db):
    return DepartmentFactory(code="BIO", name="Biosciences")


@pytest.fixture
def project(pi, researcher, department) -> Project:
    return ProjectFactory(code="BIO-2041", pi=pi, department=department, members=[researcher])


@pytest.fixture
def other_project(researcher, department) -> Project:
    return ProjectFactory(code="CHEM-3310", department=department, members=[researcher])
