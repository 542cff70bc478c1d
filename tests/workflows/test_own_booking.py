"""Nobody decides their own booking, by any route: the site's and the admin's decision
pages, bulk approval on both, the API and the emailed link (issue 14, item 3).

Each route is tried twice: after a hand-over to the approver through the booking service
(which re-routes the request), and with a task left on a booking its approver holds (as
hand-overs left them before they re-routed), which only `can_decide` stops.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.test import APIClient

from booking.models import Booking
from booking.services import change_booking
from people.roles import Role
from tests.conftest import sign_in_with_second_factor
from tests.workflows.helpers import NOW, book, make_rule
from workflows.approvals import approve_many
from workflows.links import link_token
from workflows.models import ApprovalStep, ApprovalTask
from workflows.permissions import can_decide
from workflows.queries import open_tasks

pytestmark = pytest.mark.django_db


def hand_over(booking, to) -> None:
    change_booking(
        booking=booking, by=booking.user, start=booking.start, end=booking.end,
        project=booking.project, user=to, now=NOW,
    )  # fmt: skip


def left_over(booking, to) -> None:
    """The booking now the approver's while their task stays open (data from before)."""
    Booking.objects.filter(pk=booking.pk).update(user=to)


@pytest.fixture(params=[hand_over, left_over], ids=["handed_over", "left_over"])
def own(request, instrument, booker, project, coordinators):
    """(booking, task, approver): the PI's task on a booking that became the PI's."""
    make_rule(instrument.lab, {"approvers": ApprovalStep.Approvers.PROJECT_PI}, always=True)
    project.members.add(project.pi)
    booking = book(instrument, booker, project)
    task = ApprovalTask.objects.get(request__booking=booking, approver=project.pi)
    token = link_token(task)
    request.param(booking, project.pi)
    project.pi.groups.add(Group.objects.get(name=Role.APPROVER))  # for the admin's screens
    return booking, task, project.pi, token


def assert_undecided(booking, task) -> None:
    booking.refresh_from_db()
    task.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED
    assert task.decision != ApprovalTask.Decision.APPROVED


def test_the_site_decision_page_refuses(client, own):
    booking, task, approver, _ = own
    sign_in_with_second_factor(client, approver)  # an approver is staff: two-factor first

    page = client.get(reverse("workflows:decide", args=[task.pk]))
    assert page.status_code == 200
    client.post(reverse("workflows:decide", args=[task.pk]), {"decision": "approve"})

    assert b"Send decision" not in page.content
    assert_undecided(booking, task)


def test_the_admin_decision_page_refuses(client, own):
    booking, task, approver, _ = own
    sign_in_with_second_factor(client, approver)

    page = client.get(reverse("workflows_admin:decide", args=[task.pk]))
    client.post(reverse("workflows_admin:decide", args=[task.pk]), {"decision": "approve"})

    assert page.status_code == 200 and b"Send decision" not in page.content
    assert_undecided(booking, task)


@pytest.mark.parametrize("queue", ["workflows:queue", "workflows_admin:queue"])
def test_bulk_approval_refuses(client, own, queue):
    booking, task, approver, _ = own
    sign_in_with_second_factor(client, approver)

    listed = client.get(reverse(queue))
    client.post(reverse(queue), {"tasks": [task.pk]})

    assert f'value="{task.pk}"'.encode() not in listed.content
    assert_undecided(booking, task)


def test_the_bulk_approval_service_refuses(own):
    booking, task, approver, _ = own

    done, refused = approve_many([task], by=approver, now=NOW)

    assert done == [] and len(refused) == 1
    assert_undecided(booking, task)


def test_the_api_refuses(own):
    booking, task, approver, _ = own
    api = APIClient()
    sign_in_with_second_factor(api, approver)

    response = api.post(f"/api/v1/approvals/{task.pk}/approve/", {}, format="json")

    assert response.status_code in (403, 409)
    assert response.json()["code"] in ("own_booking", "request_superseded")
    assert_undecided(booking, task)


def test_the_emailed_link_refuses(client, own):
    booking, task, approver, token = own
    sign_in_with_second_factor(client, approver)  # an approver is staff: two-factor first

    response = client.get(reverse("workflows:link", args=[token]))

    assert response.status_code in (403, 410)
    assert_undecided(booking, task)


def test_no_queue_offers_a_task_on_the_approvers_own_booking(own):
    booking, task, approver, _ = own

    assert task not in open_tasks(approver)
    assert not can_decide(approver, ApprovalTask.objects.get(pk=task.pk))


def test_the_api_names_the_refusal_on_a_left_over_task(instrument, booker, project):
    make_rule(instrument.lab, {"approvers": ApprovalStep.Approvers.PROJECT_PI}, always=True)
    booking = book(instrument, booker, project)
    task = ApprovalTask.objects.get(request__booking=booking)
    left_over(booking, project.pi)
    api = APIClient()
    api.force_login(project.pi)

    response = api.post(f"/api/v1/approvals/{task.pk}/approve/", {}, format="json")

    assert response.status_code == 403 and response.json()["code"] == "own_booking"
