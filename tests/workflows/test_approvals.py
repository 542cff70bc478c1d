"""Approval chains: steps in order, one or all, rejection, delegation, never the booker,
and every decision in the booking's log."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from booking.models import Booking
from booking.services import cancel_booking
from tests.factories import UserFactory
from tests.workflows.helpers import NOW, at, book, make_rule, request_of
from workflows import approvals
from workflows.approvals import ApprovalRefused
from workflows.models import ApprovalRequest, ApprovalStep, ApprovalTask, Delegation, OutboxMessage

pytestmark = pytest.mark.django_db

Status = ApprovalRequest.Status


def open_tasks(booking, step=None):
    tasks = ApprovalTask.objects.filter(request__booking=booking, decision="pending")
    return list(tasks.filter(step=step) if step else tasks)


def sent(event, to=None):
    messages = OutboxMessage.objects.filter(event=event)
    return list(messages.filter(recipient=to) if to else messages)


def log_actions(booking) -> list[str]:
    entries = ModelLogEntry.objects.filter(object_id=str(booking.pk)).order_by("timestamp", "pk")
    return [entry.action for entry in entries]


def test_requester_then_pi_then_lab_manager_then_confirmed(
    instrument, booker, project, two_step_rule, managers
):
    booking = book(instrument, booker, project)
    manager = managers.user_set.get()

    assert booking.status == Booking.Status.REQUESTED
    request = request_of(booking)
    assert request.rule == two_step_rule and request.step_count == 2
    (pi_task,) = open_tasks(booking)
    assert pi_task.approver == project.pi
    assert len(sent("approval_needed", project.pi)) == 1

    approvals.decide(pi_task, by=project.pi, approve=True, comment="Fine by me")

    request.refresh_from_db()
    assert request.step == 2 and request.is_pending
    (manager_task,) = open_tasks(booking)
    assert manager_task.approver == manager and manager_task.step == 2
    assert len(sent("approval_needed", manager)) == 1
    assert len(sent("approval_decided", booker)) == 1, "the booker hears of each step"

    approvals.decide(manager_task, by=manager, approve=True)

    booking.refresh_from_db()
    request.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert request.status == Status.APPROVED and request.closed_at
    assert log_actions(booking) == [
        "booking.requested",
        "workflows.approval.opened",
        "workflows.approval.assigned",
        "workflows.approval.approved",
        "workflows.approval.assigned",
        "workflows.approval.approved",
        "booking.confirmed",
    ]
    step_one = ModelLogEntry.objects.get(
        object_id=str(booking.pk), action="workflows.approval.approved", user=project.pi
    )
    assert step_one.data["step"] == 1 and step_one.data["comment"] == "Fine by me"


def test_rejecting_needs_a_reason_and_frees_the_slot(instrument, booker, project, two_step_rule):
    booking = book(instrument, booker, project)
    (task,) = open_tasks(booking)

    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(task, by=project.pi, approve=False, comment="  ")
    assert refused.value.code == "comment_required"
    assert open_tasks(booking) == [task]

    approvals.decide(task, by=project.pi, approve=False, comment="Use the widefield instead")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.REJECTED and not booking.holds_slot
    assert booking.cancel_reason == "Use the widefield instead"
    assert request_of(booking).status == Status.REJECTED
    assert not Booking.objects.filter(resource=instrument, status__in=Booking.HOLDING).exists()


def test_a_step_that_needs_everyone_waits_for_all(instrument, booker, project, managers):
    second = UserFactory(email="max.manager@example.org")
    second.groups.add(managers)
    make_rule(
        instrument.lab,
        {"approvers": ApprovalStep.Approvers.GROUP, "group": managers, "needs_all": True},
        always=True,
    )
    booking = book(instrument, booker, project)
    first_task, second_task = open_tasks(booking)

    approvals.decide(first_task, by=first_task.approver, approve=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED

    approvals.decide(second_task, by=second_task.approver, approve=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_any_one_approval_completes_a_step_and_stands_down_the_others(
    instrument, booker, project, managers
):
    UserFactory(email="max.manager@example.org").groups.add(managers)
    make_rule(instrument.lab, {"approvers": "group", "group": managers}, always=True)
    booking = book(instrument, booker, project)
    first_task, second_task = open_tasks(booking)

    approvals.decide(first_task, by=first_task.approver, approve=True)

    second_task.refresh_from_db()
    assert second_task.decision == ApprovalTask.Decision.SUPERSEDED and not second_task.link_nonce
    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(second_task, by=second_task.approver, approve=True)
    assert refused.value.code == "request_approved"


def test_the_booker_never_approves_their_own_booking(instrument, project, coordinators):
    """The PI books on their own project: their step goes to the lab's coordinators."""
    make_rule(instrument.lab, {"approvers": "project_pi"}, always=True)
    pi = project.pi

    booking = book(instrument, pi, project)

    (task,) = open_tasks(booking)
    assert task.approver != pi and task.approver.groups.filter(pk=coordinators.pk).exists()
    assigned = ModelLogEntry.objects.get(
        object_id=str(booking.pk), action="workflows.approval.assigned"
    )
    assert assigned.data["fallback"] is True


def test_named_users_and_the_supervisor(instrument, booker, project):
    supervisor, named = UserFactory(), UserFactory()
    booker.supervisor = supervisor
    booker.save()
    make_rule(
        instrument.lab,
        {"approvers": "supervisor"},
        {"approvers": "users", "users": [named]},
        always=True,
    )
    booking = book(instrument, booker, project)
    (task,) = open_tasks(booking)
    assert task.approver == supervisor

    approvals.decide(task, by=supervisor, approve=True)

    assert [t.approver for t in open_tasks(booking)] == [named]


def test_a_delegate_decides_while_the_approver_is_away(instrument, booker, project, two_step_rule):
    stand_in = UserFactory(email="stan.standin@example.org")
    today = timezone.localdate()
    Delegation.objects.create(
        delegator=project.pi,
        delegate=stand_in,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )

    booking = book(instrument, booker, project)

    (task,) = open_tasks(booking)
    assert task.approver == stand_in and task.on_behalf_of == project.pi
    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(task, by=project.pi, approve=True)
    assert refused.value.code == "not_your_step"

    approvals.decide(task, by=stand_in, approve=True)
    decided = ModelLogEntry.objects.get(
        object_id=str(booking.pk), action="workflows.approval.approved"
    )
    assert decided.user == stand_in and decided.data["on_behalf_of"] == str(project.pi)


def test_an_expired_delegation_no_longer_applies(instrument, booker, project, two_step_rule):
    today = timezone.localdate()
    Delegation.objects.create(
        delegator=project.pi,
        delegate=UserFactory(),
        starts_on=today - datetime.timedelta(days=9),
        ends_on=today - datetime.timedelta(days=2),
    )

    (task,) = open_tasks(book(instrument, booker, project))

    assert task.approver == project.pi and task.on_behalf_of is None


def test_a_cancelled_booking_closes_its_request(instrument, booker, project, two_step_rule):
    booking = book(instrument, booker, project)
    (task,) = open_tasks(booking)

    cancel_booking(booking=booking, by=booker, now=NOW)
    assert request_of(booking).status == Status.CANCELLED
    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(task, by=project.pi, approve=True)
    assert refused.value.code == "request_cancelled"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_bulk_approve_reports_each_refusal_and_keeps_the_rest(
    instrument, booker, project, two_step_rule
):
    first = book(instrument, booker, project, at(1, 10), at(1, 11))
    second = book(instrument, booker, project, at(2, 10), at(2, 11))
    cancel_booking(booking=second, by=booker, now=NOW)

    done, refused = approvals.approve_many(
        open_tasks(first) + list(ApprovalTask.objects.filter(request__booking=second)),
        by=project.pi,
    )

    assert len(done) == 1 and [r.code for _, r in refused] == ["request_cancelled"]
    assert request_of(first).step == 2


def test_reminders_go_once_after_the_delay(instrument, booker, project, two_step_rule):
    booking = book(instrument, booker, project)
    request = request_of(booking)

    assert approvals.send_reminders(now=request.remind_at - datetime.timedelta(minutes=1)) == 0
    assert approvals.send_reminders(now=request.remind_at) == 1
    assert approvals.send_reminders(now=request.remind_at + datetime.timedelta(hours=1)) == 0
    assert len(sent("approval_reminder", project.pi)) == 1


def test_escalation_adds_the_lab_coordinators(
    instrument, booker, project, two_step_rule, coordinators
):
    booking = book(instrument, booker, project)
    request = request_of(booking)

    assert approvals.escalate_overdue(now=request.escalate_at) == 1

    tasks = open_tasks(booking, step=1)
    coordinator = coordinators.user_set.get()
    assert {t.approver for t in tasks} == {project.pi, coordinator}
    assert len(sent("approval_escalated", coordinator)) == 1
    assert approvals.escalate_overdue(now=request.escalate_at + datetime.timedelta(days=1)) == 0

    escalated = next(t for t in tasks if t.added_by_escalation)
    approvals.decide(escalated, by=coordinator, approve=True)
    request.refresh_from_db()
    assert request.step == 2


def test_escalation_can_skip_to_the_next_step(instrument, booker, project, two_step_rule, managers):
    two_step_rule.escalation = two_step_rule.Escalation.NEXT_STEP
    two_step_rule.save()
    booking = book(instrument, booker, project)

    approvals.escalate_overdue(now=request_of(booking).escalate_at)
    assert request_of(booking).step == 2
    assert [t.approver for t in open_tasks(booking)] == [managers.user_set.get()]


def test_a_request_still_waiting_at_the_start_expires_and_frees_the_slot(
    instrument, booker, project, two_step_rule
):
    booking = book(instrument, booker, project)

    assert approvals.expire_overdue(now=booking.start - datetime.timedelta(minutes=1)) == 0
    assert approvals.expire_overdue(now=booking.start) == 1

    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED and not booking.holds_slot
    assert request_of(booking).status == Status.EXPIRED
    assert open_tasks(booking) == []


def test_a_rolled_back_booking_leaves_no_request(instrument, booker, project, two_step_rule):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        book(instrument, booker, project)
        raise RuntimeError("the caller's transaction fails after booking")

    assert not ApprovalRequest.objects.exists() and not OutboxMessage.objects.exists()
