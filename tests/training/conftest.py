"""Personas for training: Imaging's trainer, a researcher and the cell sorter that needs
training (the clock is tests/booking's NOW)."""

import pytest

from booking.models import Lab
from tests.booking.conftest import NOW, at  # noqa: F401  (shared clock)
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from training.models import TrainingPolicy
from training.notify import trainers_group


@pytest.fixture
def lab(db) -> Lab:
    return Lab.objects.create(name="Flow cytometry", slug="flow")


@pytest.fixture
def sorter(lab):
    resource = ResourceFactory(
        name="Cell sorter", lab=lab, requires_qualification=True, max_duration=480
    )
    TrainingPolicy.objects.create(resource=resource, valid_months=12)
    return resource


@pytest.fixture
def trainer(lab):
    user = UserFactory(email="tom.trainer@example.org", first_name="Tom", last_name="Trainer")
    user.groups.add(trainers_group(lab))
    return user


@pytest.fixture
def rosa(db):
    return UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Researcher")


@pytest.fixture
def rosa_project(rosa):
    return ProjectFactory(code="FLOW-1", members=[rosa])


@pytest.fixture
def lab_project(db):
    return ProjectFactory(code="TRAIN-1")
