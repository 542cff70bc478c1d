"""A change to a booking is judged as a new booking: one that needs approval waits for it
again (a fresh request, the slot still held, the booker told why), a waiting booking's
request is superseded, and a hand-over re-routes the tasks as a new request would."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from booking.models import Booking, OpeningHours
from booking.services import BookingRefused, change_booking, preview_change, request_booking
from people.models import User
from tests.factories import ProjectFactory, UserFactory
from tests.reporting.conftest import make_card
from tests.workflows.helpers import NOW, at, book, make_rule, request_of
from workflows import approvals
from workflows.approvals import ApprovalRefused
from workflows.models import ApprovalRequest, ApprovalStep, ApprovalTask, OutboxMessage
from workflows.outbox import write

pytestmark = pytest.mark.django_db

PI_STEP = {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI}


def change(booking, *, by=None, start=None, end=None, project=None, user=None) -> Booking:
    return change_booking(
        booking=booking,
        by=by or booking.user,
        start=start or booking.start,
        end=end or booking.end,
        project=project or booking.project,
        user=user,
        now=NOW,
    )


def open_tasks_of(booking) -> list[ApprovalTask]:
    return list(
        ApprovalTask.objects.filter(
            request__booking=booking,
            request__status=ApprovalRequest.Status.PENDING,
            decision=ApprovalTask.Decision.PENDING,
        )
    )


def assert_waits_again(booking, reason: str) -> ApprovalRequest:
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED and booking.holds_slot
    request = request_of(booking)
    assert request.status == ApprovalRequest.Status.PENDING
    assert any(reason in text for text in request.reasons), request.reasons
    assert open_tasks_of(booking), "the fresh request asks someone"
    return request


# Each way a confirmed booking could step around approval.


def test_a_confirmed_booking_made_longer_than_a_rule_allows_waits_for_approval(
    instrument, booker, project
):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    assert booking.status == Booking.Status.CONFIRMED

    change(booking, end=at(1, 12))

    assert_waits_again(booking, "longer than 60 minutes")
    assert [task.approver for task in open_tasks_of(booking)] == [project.pi]


def test_a_confirmed_booking_moved_outside_opening_hours_waits_for_approval(
    instrument, booker, project, coordinators
):
    instrument.allow_outside_hours = True
    instrument.save()
    OpeningHours.objects.create(
        resource=instrument, weekday=at(1, 0).weekday(), opens=datetime.time(9),
        closes=datetime.time(17),
    )  # fmt: skip
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    assert booking.status == Booking.Status.CONFIRMED

    change(booking, start=at(1, 18), end=at(1, 19))

    assert_waits_again(booking, "Outside opening hours")


def test_a_confirmed_booking_made_dearer_than_a_cost_limit_waits_for_approval(
    instrument, booker, project
):
    make_card(instrument, effective_from=datetime.date(2025, 1, 1))  # £42 an hour
    make_rule(instrument.lab, dict(PI_STEP), cost_above=Decimal("100.00"))
    booking = book(instrument, booker, project, at(1, 10), at(1, 12))  # £84
    assert booking.status == Booking.Status.CONFIRMED

    change(booking, end=at(1, 13))  # £126

    assert_waits_again(booking, "above £100.00")


def test_a_booking_handed_to_someone_whose_category_needs_approval_waits_for_it(
    instrument, booker, project
):
    make_rule(instrument.lab, dict(PI_STEP), booker_categories=[User.Category.INDUSTRY])
    partner = UserFactory(email="ivy.industry@example.org", category=User.Category.INDUSTRY)
    project.members.add(partner)
    booking = book(instrument, booker, project)
    assert booking.status == Booking.Status.CONFIRMED

    change(booking, user=partner)

    assert_waits_again(booking, "industry user")
    assert booking.user == partner


def test_a_change_needing_approval_keeps_the_slot_held(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = change(book(instrument, booker, project, at(1, 10), at(1, 11)), end=at(1, 12))
    rival = UserFactory()

    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=rival, resource=instrument, project=ProjectFactory(members=[rival]),
            start=at(1, 11), end=at(1, 12), now=NOW,
        )  # fmt: skip

    assert refused.value.codes == ["slot_taken"]
    assert booking.status == Booking.Status.REQUESTED


def test_the_booker_is_told_why_the_change_waits(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))

    change(booking, end=at(1, 12))

    [message] = OutboxMessage.objects.filter(recipient=booker, event="booking_changed")
    message = write(message)
    assert message.subject.startswith("Changed, waiting for approval:")
    assert "The change needs approval" in message.text_body
    assert "Check first: longer than 60 minutes" in message.text_body


def test_a_change_that_needs_no_approval_stays_confirmed(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=120)
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))

    change(booking, start=at(2, 10), end=at(2, 11))

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert not ApprovalRequest.objects.filter(booking=booking).exists()


def test_a_change_that_alters_nothing_leaves_an_approved_booking_confirmed(
    instrument, booker, project
):
    make_rule(instrument.lab, dict(PI_STEP), always=True)
    booking = book(instrument, booker, project)
    [task] = open_tasks_of(booking)
    approvals.decide(task, by=project.pi, approve=True, now=NOW)

    change(booking)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert ApprovalRequest.objects.filter(booking=booking).count() == 1


# A booking already waiting.


def test_a_change_to_a_waiting_booking_supersedes_its_request(instrument, booker, project):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = book(instrument, booker, project, at(1, 10), at(1, 12))
    old = request_of(booking)
    [old_task] = open_tasks_of(booking)

    change(booking, end=at(1, 13))

    old.refresh_from_db()
    old_task.refresh_from_db()
    assert old.status == ApprovalRequest.Status.SUPERSEDED and old.closed_at is not None
    assert old_task.decision == ApprovalTask.Decision.SUPERSEDED and not old_task.link_nonce
    fresh = assert_waits_again(booking, "longer than 60 minutes")
    assert fresh.pk != old.pk and fresh.step == 1
    actions = ModelLogEntry.objects.filter(object_id=str(booking.pk)).values_list(
        "action", flat=True
    )
    assert "workflows.approval.superseded" in actions
    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(old_task, by=project.pi, approve=True, now=NOW)
    assert refused.value.code == "request_superseded"


def test_a_waiting_booking_changed_so_it_needs_no_approval_is_confirmed(
    instrument, booker, project
):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = book(instrument, booker, project, at(1, 10), at(1, 12))

    change(booking, end=at(1, 11))

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert request_of(booking).status == ApprovalRequest.Status.SUPERSEDED
    assert open_tasks_of(booking) == []


# A hand-over to the approver (issue 14, item 3).


@pytest.fixture
def waiting_for_the_pi(instrument, booker, project, coordinators):
    """A booking every change of which needs the project PI's approval, waiting for it."""
    make_rule(instrument.lab, dict(PI_STEP), always=True)
    project.members.add(project.pi)
    booking = book(instrument, booker, project)
    [task] = open_tasks_of(booking)
    assert task.approver == project.pi
    return booking, task


def test_a_hand_over_to_the_approver_re_routes_the_request_to_the_coordinators(
    waiting_for_the_pi, project, coordinators
):
    booking, pi_task = waiting_for_the_pi

    change(booking, user=project.pi)

    pi_task.refresh_from_db()
    assert pi_task.decision == ApprovalTask.Decision.SUPERSEDED
    approvers = [task.approver for task in open_tasks_of(booking)]
    assert approvers == list(coordinators.user_set.all())
    assert project.pi not in approvers


def test_the_approver_cannot_approve_a_booking_handed_over_to_them(waiting_for_the_pi, project):
    booking, pi_task = waiting_for_the_pi
    change(booking, user=project.pi)

    with pytest.raises(ApprovalRefused):
        approvals.decide(pi_task, by=project.pi, approve=True, now=NOW)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_decide_refuses_a_task_on_the_deciders_own_booking(waiting_for_the_pi, project):
    """A task left on a booking its approver now holds (made before hand-overs re-routed)."""
    booking, pi_task = waiting_for_the_pi
    Booking.objects.filter(pk=booking.pk).update(user=project.pi)

    with pytest.raises(ApprovalRefused) as refused:
        approvals.decide(pi_task, by=project.pi, approve=True, now=NOW)

    assert refused.value.code == "own_booking"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


# Before saving.


def test_a_preview_of_the_change_says_it_would_need_approval_and_writes_nothing(
    instrument, booker, project
):
    make_rule(instrument.lab, dict(PI_STEP), longer_than=60)
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))

    judged = preview_change(
        booking=booking, start=at(1, 10), end=at(1, 12), project=project, now=NOW
    )

    assert judged.ok and judged.needs_approval and judged.status == Booking.Status.REQUESTED
    assert "longer than 60 minutes" in judged.approval_reasons[0].message
    booking.refresh_from_db()
    assert (booking.status, booking.end) == (Booking.Status.CONFIRMED, at(1, 11))
    assert not ApprovalRequest.objects.filter(booking=booking).exists()
