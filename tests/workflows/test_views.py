"""The approvers' screens on the site and in the admin, and the emailed link."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from booking.models import Booking
from tests.factories import UserFactory
from tests.workflows.helpers import at, book
from workflows.approvals import decision_url
from workflows.links import link_token
from workflows.models import ApprovalTask, OutboxMessage
from workflows.outbox import write

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(instrument, booker, project, two_step_rule):
    """A booking waiting for its PI, and the PI's task."""
    booking = book(instrument, booker, project)
    return booking, ApprovalTask.objects.get(request__booking=booking)


def test_the_queue_lists_what_waits_for_me(client, waiting):
    booking, task = waiting
    client.force_login(task.approver)

    response = client.get(reverse("workflows:queue"))

    assert response.status_code == 200
    assert booking.resource.name.encode() in response.content
    assert reverse("workflows:decide", args=[task.pk]).encode() in response.content


def test_approving_from_the_decision_page(client, waiting, managers):
    booking, task = waiting
    client.force_login(task.approver)

    response = client.post(
        reverse("workflows:decide", args=[task.pk]), {"decision": "approve", "comment": ""}
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.decision == ApprovalTask.Decision.APPROVED
    assert (
        ApprovalTask.objects.get(request__booking=booking, step=2).approver
        in managers.user_set.all()
    )


def test_rejecting_without_a_reason_is_refused_next_to_the_field(client, waiting):
    booking, task = waiting
    client.force_login(task.approver)

    response = client.post(reverse("workflows:decide", args=[task.pk]), {"decision": "reject"})

    assert response.status_code == 400
    assert response.context["form"].errors["comment"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_someone_elses_task_is_not_found(client, waiting, booker):
    _, task = waiting
    client.force_login(booker)

    assert client.get(reverse("workflows:decide", args=[task.pk])).status_code == 404
    assert (
        client.post(
            reverse("workflows:decide", args=[task.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    task.refresh_from_db()
    assert task.decision == ApprovalTask.Decision.PENDING


def test_bulk_approve_from_the_queue(client, instrument, booker, project, two_step_rule):
    first = book(instrument, booker, project, at(1, 10), at(1, 11))
    second = book(instrument, booker, project, at(2, 10), at(2, 11))
    tasks = ApprovalTask.objects.filter(request__booking__in=[first, second], step=1)
    client.force_login(project.pi)

    response = client.post(reverse("workflows:queue"), {"tasks": [t.pk for t in tasks]})

    assert response.status_code == 302
    assert set(tasks.values_list("decision", flat=True)) == {"approved"}


def test_bulk_approve_refuses_tasks_that_are_not_mine(client, waiting):
    _, task = waiting
    client.force_login(UserFactory())

    response = client.post(reverse("workflows:queue"), {"tasks": [task.pk]})

    assert response.status_code == 400
    task.refresh_from_db()
    assert task.decision == ApprovalTask.Decision.PENDING


def test_the_email_link_leads_the_addressed_approver_to_the_decision(client, waiting):
    _, task = waiting
    client.force_login(task.approver)

    response = client.get(decision_url(task).removeprefix("http://testserver"))

    assert response.status_code == 302
    assert response.url == reverse("workflows:decide", args=[task.pk])


def test_the_email_link_asks_for_sign_in_first(client, waiting):
    _, task = waiting
    url = reverse("workflows:link", args=[link_token(task)])

    response = client.get(url)

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_the_email_link_refuses_anyone_else(client, waiting, booker):
    _, task = waiting
    client.force_login(booker)

    response = client.get(reverse("workflows:link", args=[link_token(task)]))

    assert response.status_code == 403
    assert b"sent to someone else" in response.content


def test_a_used_link_is_dead(client, waiting):
    _, task = waiting
    url = reverse("workflows:link", args=[link_token(task)])
    client.force_login(task.approver)
    client.post(reverse("workflows:decide", args=[task.pk]), {"decision": "approve"})

    response = client.get(url)

    assert response.status_code == 410 and b"already been decided" in response.content


def test_a_forged_link_is_refused(client, waiting):
    _, task = waiting
    client.force_login(task.approver)
    forged = signing.dumps({"task": task.pk, "nonce": task.link_nonce}, salt="something else")

    assert client.get(reverse("workflows:link", args=[forged])).status_code == 400
    assert client.get(reverse("workflows:link", args=[link_token(task) + "x"])).status_code == 400


def test_an_old_link_has_expired(client, waiting, settings):
    _, task = waiting
    settings.APPROVAL_LINK_MAX_AGE = -1
    client.force_login(task.approver)

    response = client.get(reverse("workflows:link", args=[link_token(task)]))

    assert response.status_code == 410 and b"expired" in response.content


def said_approved_to(booker) -> list[str]:
    """Subjects of the booker's messages whose wording says "approved"."""
    messages = OutboxMessage.objects.filter(recipient=booker).order_by("pk")
    worded = [write(message) for message in messages]
    return [m.subject for m in worded if re.search(r"\bapproved\b", m.subject + m.text_body, re.I)]


def test_step_one_of_two_says_which_step_passed_and_the_booker_hears_approved_only_at_the_end(
    client, waiting, managers, booker
):
    booking, pi_task = waiting
    client.force_login(pi_task.approver)
    response = client.post(
        reverse("workflows:decide", args=[pi_task.pk]),
        {"decision": "approve", "comment": ""},
        follow=True,
    )
    text = response.text
    assert "You passed step 1 of 2 (PI)" in text and "step 2, Lab manager, decides next" in text
    assert "Approved" not in text and "(Requested)" not in text
    assert said_approved_to(booker) == []
    step_message = OutboxMessage.objects.get(recipient=booker, event="approval_decided")
    assert "not yet confirmed" in write(step_message).subject

    manager_task = ApprovalTask.objects.get(request__booking=booking, step=2)
    client.force_login(manager_task.approver)
    response = client.post(
        reverse("workflows:decide", args=[manager_task.pk]),
        {"decision": "approve", "comment": ""},
        follow=True,
    )
    assert f"Approved and confirmed: {booking.resource.name} for" in response.text
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert len(said_approved_to(booker)) == 1
    assert said_approved_to(booker)[0].startswith("Approved and confirmed:")
