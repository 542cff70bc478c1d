"""A rival booker and project, for the booking API's tests (API clients: tests/conftest.py;
times: tests/api/helpers.py)."""

import pytest

from people.models import User
from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def rival(db) -> User:
    return UserFactory(email="rik.rival@example.org")


@pytest.fixture
def rival_project(rival):
    return ProjectFactory(code="CHEM-7", members=[rival])
