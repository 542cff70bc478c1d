"""/api/v1/approvals/: an approver's open tasks, read and decided through the approval
service; refusals keep the service's codes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from wagtail.models import ModelLogEntry

from booking.models import Booking
from booking.services import cancel_booking
from people.api_tokens import create_token
from tests.factories import LabFactory, ResourceFactory, UserFactory
from tests.workflows.helpers import at, book, make_rule
from workflows.models import ApprovalRequest, ApprovalStep, ApprovalTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(instrument, booker, project, two_step_rule):
    """A booking waiting for its PI, and the PI's task."""
    booking = book(instrument, booker, project)
    return booking, ApprovalTask.objects.get(request__booking=booking)


@pytest.fixture
def pi_api(project) -> APIClient:
    client = APIClient()
    client.force_login(project.pi)
    return client


def url(task: ApprovalTask, verb: str = "") -> str:
    return f"/api/v1/approvals/{task.pk}/" + (f"{verb}/" if verb else "")


# Reading.


def test_the_list_holds_what_waits_for_me(pi_api, waiting, booker):
    booking, task = waiting

    response = pi_api.get("/api/v1/approvals/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == task.pk and row["decision"] == "pending" and row["step"] == 1
    assert row["request"]["status"] == "pending" and row["request"]["step_count"] == 2
    assert row["request"]["step_label"] == "PI"
    assert row["booking"]["id"] == booking.pk and row["booking"]["status"] == "requested"
    assert row["booking"]["booker"] == booker.name and row["booking"]["lab"] == "imaging"
    assert row["booking"]["project_code"] == "BIO-2041"


def test_the_list_leaves_out_other_approvers_and_decided_tasks(
    pi_api, waiting, instrument, booker, project
):
    _, task = waiting
    decided = book(instrument, booker, project, at(2, 10), at(2, 11))
    pi_api.post(
        url(ApprovalTask.objects.get(request__booking=decided), "approve"), {}, format="json"
    )

    assert [row["id"] for row in pi_api.get("/api/v1/approvals/").json()["results"]] == [task.pk]
    stranger = APIClient()
    stranger.force_login(UserFactory())
    assert stranger.get("/api/v1/approvals/").json()["count"] == 0


def test_the_list_filters_by_resource_and_lab(pi_api, waiting, booker, project):
    _, task = waiting
    other = ResourceFactory(name="Plate reader", lab=LabFactory(name="Cells", slug="cells"))
    make_rule(
        other.lab, {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI}, always=True
    )
    elsewhere = ApprovalTask.objects.get(
        request__booking=book(other, booker, project, at(1, 12), at(1, 13))
    )

    def ids(**params) -> list[int]:
        response = pi_api.get("/api/v1/approvals/", params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [task.pk, elsewhere.pk]
    assert ids(lab="imaging") == [task.pk]
    assert ids(lab="cells") == [elsewhere.pk]
    assert ids(resource=other.pk) == [elsewhere.pk]
    assert ids(lab="nowhere") == []
    bad = pi_api.get("/api/v1/approvals/", {"resource": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_the_list_is_paginated(pi_api, waiting):
    response = pi_api.get("/api/v1/approvals/", {"page_size": 1, "page": 2})

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert pi_api.get("/api/v1/approvals/", {"page_size": 1}).json()["next"] is None


def test_the_detail_is_mine_only(pi_api, waiting, booker):
    _, task = waiting
    assert pi_api.get(url(task)).json()["id"] == task.pk

    as_booker = APIClient()
    as_booker.force_login(booker)
    response = as_booker.get(url(task))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# Deciding.


def test_approving_moves_the_request_to_its_next_step(pi_api, waiting, managers, project):
    booking, task = waiting

    response = pi_api.post(url(task, "approve"), {"comment": "Fine by me."}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"] == "approved" and body["comment"] == "Fine by me."
    assert body["request"]["step"] == 2 and body["request"]["status"] == "pending"
    step_two = ApprovalTask.objects.get(request__booking=booking, step=2)
    assert step_two.approver in managers.user_set.all()
    assert ModelLogEntry.objects.filter(
        object_id=str(booking.pk), action="workflows.approval.approved", user=project.pi
    ).exists()


def test_the_last_approval_confirms_the_booking(pi_api, waiting, managers):
    booking, task = waiting
    pi_api.post(url(task, "approve"), {}, format="json")
    manager_task = ApprovalTask.objects.get(request__booking=booking, step=2)
    manager = APIClient()
    manager.force_login(manager_task.approver)

    response = manager.post(url(manager_task, "approve"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["request"]["status"] == "approved"
    assert response.json()["booking"]["status"] == "confirmed"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_rejecting_frees_the_slot_and_tells_why(pi_api, waiting):
    booking, task = waiting

    response = pi_api.post(url(task, "reject"), {"comment": "Servicing that week."}, format="json")

    assert response.status_code == 200
    assert response.json()["request"]["status"] == "rejected"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED
    assert booking.cancel_reason == "Servicing that week."


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_rejecting_without_a_reason_is_refused(pi_api, waiting, comment):
    booking, task = waiting
    body = {} if comment is None else {"comment": comment}

    response = pi_api.post(url(task, "reject"), body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "comment_required"
    assert response.json()["message"] == "Say why you reject the request."
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_deciding_twice_is_a_conflict(pi_api, waiting):
    _, task = waiting
    pi_api.post(url(task, "approve"), {}, format="json")

    response = pi_api.post(url(task, "reject"), {"comment": "Changed my mind"}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "already_decided"


def test_a_cancelled_request_cannot_be_decided(pi_api, waiting, booker):
    booking, task = waiting
    cancel_booking(booking=booking, by=booker, reason="Not needed")

    response = pi_api.post(url(task, "approve"), {}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "request_cancelled"
    assert ApprovalRequest.objects.get(booking=booking).status == "cancelled"


def test_another_approvers_task_cannot_be_decided(waiting, booker):
    booking, task = waiting
    as_booker = APIClient()
    as_booker.force_login(booker)

    for verb in ("approve", "reject"):
        response = as_booker.post(url(task, verb), {"comment": "mine now"}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    task.refresh_from_db()
    assert task.decision == ApprovalTask.Decision.PENDING


def test_a_comment_that_is_too_long_is_invalid(pi_api, waiting):
    _, task = waiting

    response = pi_api.post(url(task, "approve"), {"comment": "x" * 2001}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert response.json()["problems"][0]["field"] == "comment"


def test_a_write_token_decides_and_a_read_only_token_cannot(waiting, project):
    _, task = waiting
    _, read_only = create_token(user=project.pi, name="dashboard", scope="read", days=30)
    _, writer = create_token(user=project.pi, name="script", scope="read_write", days=30)
    client = APIClient()

    client.credentials(HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert client.get(url(task)).status_code == 200
    refused = client.post(url(task, "approve"), {}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "token_read_only"
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert client.post(url(task, "approve"), {}, format="json").status_code == 200


def test_the_list_costs_the_same_queries_for_one_task_or_many(
    pi_api, waiting, instrument, booker, project
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pi_api.get("/api/v1/approvals/").status_code == 200
        return len(captured)

    one = queries()
    for day in (2, 3, 4):
        book(instrument, booker, project, at(day, 10), at(day, 11))
    assert pi_api.get("/api/v1/approvals/").json()["count"] == 4
    assert queries() == one
