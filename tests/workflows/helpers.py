"""Helpers for approval tests: make a rule with its steps, book through the service, read a
booking's approval request."""

from booking.services import request_booking
from tests.booking.conftest import NOW, at
from workflows.models import ApprovalRequest, ApprovalRule, ApprovalStep


def make_rule(lab, *steps: dict, **conditions) -> ApprovalRule:
    """A rule on the lab with the given conditions and steps (dicts of ApprovalStep fields)."""
    users = [step.pop("users", []) for step in steps]
    rule = ApprovalRule.objects.create(name="Check first", lab=lab, **conditions)
    for order, (fields, people) in enumerate(zip(steps, users, strict=True)):
        step = ApprovalStep.objects.create(rule=rule, sort_order=order, **fields)
        step.users.set(people)
        step.save()  # a ParentalManyToManyField writes on save
    return rule


def book(instrument, booker, project, start=None, end=None):
    return request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=start or at(1, 10),
        end=end or at(1, 11),
        now=NOW,
    )


def request_of(booking) -> ApprovalRequest | None:
    """The booking's latest approval request, read afresh (a change supersedes the last)."""
    return ApprovalRequest.objects.filter(booking=booking).first()
