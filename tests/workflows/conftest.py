"""An instrument, a booker on a project, an explicit clock, mail that leaves through the
outbox, and approval chains: the project's PI, a lab manager, the lab's coordinators."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group

from booking.models import Resource
from people.models import Project, User
from tests.booking.conftest import _calendar_stays_true  # noqa: F401 (an autouse fixture)
from tests.factories import LabFactory, ProjectFactory, ResourceFactory, UserFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalRule, ApprovalStep

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=LONDON)  # a Monday


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time `day_offset` days after NOW's date."""
    day = NOW.date() + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def instrument(db) -> Resource:
    return ResourceFactory(
        name="Confocal LSM 980",
        lab=LabFactory(name="Imaging", slug="imaging"),
        capacity=1,
        granularity=15,
        max_duration=240,
    )


@pytest.fixture
def booker(db) -> User:
    return UserFactory(email="bea.booker@example.org", first_name="Bea", last_name="Booker")


@pytest.fixture
def project(booker) -> Project:
    return ProjectFactory(code="BIO-2041", members=[booker])


@pytest.fixture
def approver(db) -> User:
    return UserFactory(email="petra.pi@example.org", first_name="Petra", last_name="Principal")


@pytest.fixture
def coordinators(instrument) -> Group:
    """The instrument's lab's coordinators group, with one member."""
    group = Group.objects.create(name=f"{instrument.lab.name} coordinators")
    instrument.lab.coordinators = group
    instrument.lab.save()
    UserFactory(email="cody.coordinator@example.org").groups.add(group)
    return group


@pytest.fixture
def managers(db) -> Group:
    group = Group.objects.create(name="Lab managers")
    UserFactory(email="mona.manager@example.org", first_name="Mona").groups.add(group)
    return group


@pytest.fixture
def two_step_rule(instrument, managers) -> ApprovalRule:
    """Every booking: the project's PI, then a lab manager."""
    return make_rule(
        instrument.lab,
        {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI},
        {"label": "Lab manager", "approvers": ApprovalStep.Approvers.GROUP, "group": managers},
        always=True,
    )
