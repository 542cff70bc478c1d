"""Staff book for a researcher through the API (`booked_for`), through the same service as
the admin's screen: every rule applies to the researcher, less the overrides given with a
reason; each refusal has its code and writes nothing."""

import pytest
from rest_framework.test import APIClient

from booking.models import Booking
from tests.api.helpers import iso, soon
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rosa_project(researcher):
    return ProjectFactory(code="BIO-2041", members=[researcher])


@pytest.fixture
def confocal(facility):
    return facility.confocal.resource


def staff(user) -> APIClient:
    client = APIClient()
    sign_in_with_second_factor(client, user)
    return client


def payload(confocal, researcher, project, **extra) -> dict:
    return {
        "resource": confocal.pk,
        "project": project.pk,
        "start": iso(soon(3, 10)),
        "end": iso(soon(3, 11)),
        "booked_for": researcher.pk,
        **extra,
    }


def post(client, data):
    return client.post("/api/v1/bookings/", data, format="json")


def test_a_coordinator_books_for_rosa_with_the_notice_rule_overridden(
    coordinator, researcher, rosa_project, confocal
):
    confocal.min_notice = 10 * 24 * 60
    confocal.save()
    data = payload(
        confocal, researcher, rosa_project, overrides=["notice"], override_reason="Samples thaw"
    )

    response = post(staff(coordinator), data)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["booker"] == researcher.pk and body["project"] == rosa_project.pk
    assert body["made_by_staff"] == {
        "staff": coordinator.pk,
        "staff_name": coordinator.name,
        "overridden": ["notice"],
        "reason": "Samples thaw",
    }
    read = staff(coordinator).get(f"/api/v1/bookings/{body['id']}/").json()
    assert read["made_by_staff"]["reason"] == "Samples thaw"


def test_without_the_override_the_notice_rule_refuses(
    coordinator, researcher, rosa_project, confocal
):
    confocal.min_notice = 10 * 24 * 60
    confocal.save()
    response = post(staff(coordinator), payload(confocal, researcher, rosa_project))
    assert response.status_code == 400 and response.json()["code"] == "too_little_notice"


def refused(client, data, status: int, code: str) -> None:
    response = post(client, data)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert not Booking.objects.exists()


def test_an_override_without_a_reason_is_refused(coordinator, researcher, rosa_project, confocal):
    data = payload(confocal, researcher, rosa_project, overrides=["notice"])
    refused(staff(coordinator), data, 400, "override_reason_missing")


def test_someone_who_is_not_a_researcher_is_refused(coordinator, finance, confocal):
    project = ProjectFactory(members=[finance])
    refused(staff(coordinator), payload(confocal, finance, project), 400, "not_a_researcher")


def test_an_unknown_person_is_a_404(coordinator, researcher, rosa_project, confocal):
    data = payload(confocal, researcher, rosa_project, booked_for=999999)
    refused(staff(coordinator), data, 404, "unknown_user")


def test_a_coordinator_of_another_lab_is_refused(coordinator, researcher, rosa_project, facility):
    orbitrap = facility.orbitrap.resource
    refused(staff(coordinator), payload(orbitrap, researcher, rosa_project), 403, "not_lab_staff")


def test_a_researcher_cannot_book_for_another(api, researcher, rosa_project, confocal):
    refused(api, payload(confocal, researcher, rosa_project), 403, "not_lab_staff")


def test_a_researcher_cannot_override_their_own_rules(api, booker, project, confocal):
    data = payload(confocal, booker, project, overrides=["notice"], override_reason="I'm late")
    del data["booked_for"]
    refused(api, data, 403, "override_not_allowed")


def test_a_rule_that_may_not_be_overridden_is_a_400(
    coordinator, researcher, rosa_project, confocal
):
    data = payload(confocal, researcher, rosa_project, overrides=["overlap"], override_reason="x")
    refused(staff(coordinator), data, 400, "invalid")


def test_a_project_rosa_may_not_charge_is_refused(coordinator, researcher, confocal):
    theirs = ProjectFactory(members=[UserFactory()])
    refused(staff(coordinator), payload(confocal, researcher, theirs), 400, "not_project_member")


def test_a_series_for_someone_is_refused(coordinator, researcher, rosa_project, confocal):
    repeat = {"frequency": "WEEKLY", "count": 2}
    data = payload(confocal, researcher, rosa_project, repeat=repeat)
    refused(staff(coordinator), data, 400, "on_behalf_once")
