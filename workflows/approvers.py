"""Who approves a step: the step's people, after delegation, never the booker.

A chain is stored on each request as plain dicts (see `step_spec`), so editing a rule later
does not change requests already in flight.
"""

import datetime

from django.contrib.auth.models import Group

from booking.models import Booking, Lab
from people.models import User
from people.roles import Role

from .models import ApprovalStep, Delegation

MAX_DELEGATION_HOPS = 5


def step_spec(step: ApprovalStep) -> dict:
    return {
        "label": str(step),
        "approvers": step.approvers,
        "group_id": step.group_id,
        "user_ids": sorted(user.pk for user in step.users.all()),
        "needs_all": step.needs_all,
    }


def coordinators_spec(lab: Lab) -> dict:
    """The chain of a booking that needs approval but matches no rule: the lab's coordinators."""
    return {
        "label": "Lab coordinators",
        "approvers": ApprovalStep.Approvers.GROUP,
        "group_id": lab.coordinators_id,
        "user_ids": [],
        "needs_all": False,
    }


def people_of(spec: dict, booking: Booking) -> list[User]:
    kind = spec["approvers"]
    if kind == ApprovalStep.Approvers.SUPERVISOR:
        return [booking.user.supervisor] if booking.user.supervisor_id else []
    if kind == ApprovalStep.Approvers.PROJECT_PI:
        return [booking.project.pi] if booking.project.pi_id else []
    if kind == ApprovalStep.Approvers.USERS:
        return list(User.objects.filter(pk__in=spec["user_ids"]))
    return list(User.objects.filter(groups=spec["group_id"])) if spec["group_id"] else []


def coordinators_of(lab: Lab) -> list[User]:
    return list(User.objects.filter(groups=lab.coordinators_id)) if lab.coordinators_id else []


def site_admins() -> list[User]:
    return list(User.objects.filter(groups__name=Role.SITE_ADMIN))


def delegate_for(user: User, day: datetime.date) -> User:
    """Whoever stands in for the user on that day, following delegations that chain on."""
    seen = {user.pk}
    for _ in range(MAX_DELEGATION_HOPS):
        delegation = (
            Delegation.objects.filter(delegator=user, starts_on__lte=day, ends_on__gte=day)
            .select_related("delegate")
            .first()
        )
        if (
            delegation is None
            or delegation.delegate_id in seen
            or not delegation.delegate.is_active
        ):
            return user
        user = delegation.delegate
        seen.add(user.pk)
    return user


def assign(
    people: list[User], booking: Booking, day: datetime.date
) -> list[tuple[User, User | None]]:
    """(approver, on behalf of) pairs after delegation, without the booker or inactive users."""
    pairs, seen = [], set()
    for person in people:
        if not person.is_active:
            continue
        actual = delegate_for(person, day)
        if actual.pk == booking.user_id:
            actual = person  # a delegation never hands a booker their own request
        if actual.pk == booking.user_id or actual.pk in seen:
            continue
        seen.add(actual.pk)
        pairs.append((actual, person if actual.pk != person.pk else None))
    return pairs


def approvers_for(spec: dict, booking: Booking, day: datetime.date):
    """The step's approvers; if nobody is left, the lab's coordinators, then the site admins.

    Returns (pairs, fallback) where `fallback` says the step's own people were unavailable.
    """
    pairs = assign(people_of(spec, booking), booking, day)
    if pairs:
        return pairs, False
    for people in (coordinators_of(booking.resource.lab), site_admins()):
        if pairs := assign(people, booking, day):
            return pairs, True
    return [], True


def would_loop(delegator: User, delegate: User, starts_on, ends_on, *, exclude_id=None) -> bool:
    """Whether handing delegator's approvals to delegate would come back round to delegator."""
    frontier, seen = {delegate.pk}, set()
    while frontier:
        if delegator.pk in frontier:
            return True
        seen |= frontier
        onward = Delegation.objects.filter(
            delegator_id__in=frontier, starts_on__lte=ends_on, ends_on__gte=starts_on
        ).exclude(pk=exclude_id)
        frontier = set(onward.values_list("delegate_id", flat=True)) - seen
    return False


def group_has_members(group: Group) -> bool:
    return User.objects.filter(groups=group, is_active=True).exists()
