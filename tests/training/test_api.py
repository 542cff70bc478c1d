"""The training API: your qualifications and requests, and asking for training."""

import pytest
from rest_framework.test import APIClient

from booking.models import Qualification
from training.models import TrainingRequest
from workflows.models import OutboxMessage

from .conftest import NOW


@pytest.fixture
def client(rosa) -> APIClient:
    api = APIClient()
    api.force_authenticate(rosa)
    return api


def test_asking_for_training_tells_the_trainers(client, sorter, trainer):
    answer = client.post(
        "/api/v1/training-requests/", {"resource": sorter.pk, "note": "Aria"}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "pending"
    assert answer["Location"] == f"/api/v1/training-requests/{answer.json()['id']}/"
    assert OutboxMessage.objects.filter(event="training_requested", recipient=trainer).exists()


def test_asking_twice_is_a_conflict(client, sorter):
    client.post("/api/v1/training-requests/", {"resource": sorter.pk}, format="json")
    answer = client.post("/api/v1/training-requests/", {"resource": sorter.pk}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "already_requested"


def test_an_unknown_instrument_is_refused_on_its_field(client):
    answer = client.post("/api/v1/training-requests/", {"resource": 999999}, format="json")
    assert answer.status_code == 400
    assert answer.json()["problems"][0]["field"] == "resource"


def test_requests_and_qualifications_are_only_your_own(client, sorter, rosa):
    from tests.factories import UserFactory

    other = UserFactory()
    theirs = TrainingRequest.objects.create(resource=sorter, requester=other, created_at=NOW)
    Qualification.objects.create(user=other, resource=sorter)
    Qualification.objects.create(user=rosa, resource=sorter, unsupervised=False)
    assert client.get(f"/api/v1/training-requests/{theirs.pk}/").status_code == 404
    assert client.get("/api/v1/training-requests/").json()["results"] == []
    mine = client.get("/api/v1/qualifications/").json()["results"]
    assert [(q["resource_name"], q["level"]) for q in mine] == [("Cell sorter", "supervised")]
