"""Qualifications in the admin: granted by a lab's coordinators on their own instruments."""

import datetime

import pytest

from booking.models import Qualification
from tests.booking.admin.conftest import (
    assert_denied,
    url,
)


@pytest.fixture
def orbitrap_qualification(orbitrap, rosa):
    return Qualification.objects.create(user=rosa, resource=orbitrap)


def test_a_coordinator_is_refused_another_labs_qualification(
    as_coordinator, orbitrap_qualification
):
    assert_denied(as_coordinator.get(url(Qualification, "edit", orbitrap_qualification.pk)))
    assert not as_coordinator.get(url(Qualification, "list")).context["object_list"]


def test_a_coordinator_qualifies_a_user_and_is_recorded_as_grantor(
    as_coordinator, coordinator, confocal, rosa
):
    response = as_coordinator.post(
        url(Qualification, "add"),
        {"user": rosa.pk, "resource": confocal.pk, "expires_on": "2031-03-31", "note": ""},
    )

    assert response.status_code == 302
    qualification = Qualification.objects.get(user=rosa, resource=confocal)
    assert qualification.granted_by == coordinator
    assert qualification.expires_on == datetime.date(2031, 3, 31)


def test_a_coordinator_cannot_qualify_on_another_labs_resource(as_coordinator, orbitrap, rosa):
    response = as_coordinator.post(
        url(Qualification, "add"), {"user": rosa.pk, "resource": orbitrap.pk}
    )

    assert "resource" in response.context["form"].errors
    assert not Qualification.objects.exists()
