"""Approval chains on one instrument: a booker on a project with a PI, and a lab manager."""
# ruff: noqa: F811 (the booking fixtures are imported by name, then used as parameters)

import pytest
from django.contrib.auth.models import Group

from tests.booking.conftest import (  # noqa: F401 (fixtures)
    _calendar_stays_true,
    booker,
    instrument,
    project,
)
from tests.factories import UserFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalRule, ApprovalStep


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
