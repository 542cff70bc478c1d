"""The researcher, signed in, with a project, an instrument, and a rival booker."""

import pytest

from tests.factories import ProjectFactory, UserFactory


@pytest.fixture
def resource(facility):
    return facility.confocal.resource


@pytest.fixture
def project(researcher):
    return ProjectFactory(code="BIO-2041", name="Organelle contacts", members=[researcher])


@pytest.fixture
def signed_in(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def rival(db):
    return ProjectFactory(code="RIVAL-9", pi=UserFactory(first_name="Rita", last_name="Rival"))
