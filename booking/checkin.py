"""What the instrument check-in page and the kiosk read: the person's booking now, the time
free from now, what holds the instrument now and next, and the kiosk a token opens.

Reads only; checking in is booking.services.check_in, whose rule (check_in_problem) these
screens ask before offering the button.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import User

from .availability import Slot, slots_in
from .models import Booking, Kiosk, Resource
from .queries import BusyBlock, busy_blocks, free_intervals
from .rules import Proposal, evaluate
from .services.attendance import EARLY_CHECK_IN

# How far ahead the kiosk looks for "next", and the check-in page for free time.
LOOK_AHEAD = datetime.timedelta(hours=24)


def bookings_to_attend(resource: Resource, user: User, now: datetime.datetime) -> QuerySet:
    """The user's bookings of the resource that are on now or open for check-in soon: those
    a person scanning the instrument's code has come for, soonest first."""
    return Booking.objects.filter(
        resource=resource,
        user=user,
        status__in=(Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN),
        start__lte=now + EARLY_CHECK_IN,
        end__gt=now,
    ).order_by("start", "pk")


def current_booking(resource: Resource, user: User, now: datetime.datetime) -> Booking | None:
    return bookings_to_attend(resource, user, now).select_related("resource").first()


@dataclass(frozen=True)
class FreeNow:
    """The time free from now on a resource for a person: the slot, or why they cannot."""

    slot: Slot | None
    problem: Problem | None = None


def free_from_now(resource: Resource, user: User, now: datetime.datetime) -> FreeNow:
    """The first slot starting at the next mark of the resource's grid, if the resource is
    free then, judged by every booking rule except the project (chosen on the form)."""
    zone = facility_zone()
    step = datetime.timedelta(minutes=resource.granularity)
    for start, end in free_intervals(resource, now, now + LOOK_AHEAD):
        if start > now + step:
            break
        slots = slots_in(
            resource,
            start.astimezone(zone),
            end.astimezone(zone),
            earliest=now,
            latest=now + step,
        )
        if not slots:
            continue
        slot = slots[0]
        verdict = evaluate(Proposal(resource, user, None, slot.start, slot.end), now=now)
        problems = [p for p in verdict.problems if p.code != "unknown_project"]
        return FreeNow(None, problems[0]) if problems else FreeNow(slot)
    return FreeNow(None)


@dataclass(frozen=True)
class NowAndNext:
    now: BusyBlock | None
    next: list[BusyBlock]


def now_and_next(
    resource: Resource, now: datetime.datetime, *, viewer: User | None = None, count: int = 3
) -> NowAndNext:
    """What holds the resource now and the next few holds within a day, as busy_blocks()
    shows them: another person's booking is only "Booked", never a name."""
    blocks = busy_blocks(resource, now, now + LOOK_AHEAD, viewer=viewer)
    current = next((block for block in blocks if block.start <= now), None)
    later = [block for block in blocks if block.start > now]
    return NowAndNext(current, later[:count])


def kiosk_for(token: str) -> Kiosk | None:
    """The kiosk (active or revoked) whose token this is, with its resource and lab."""
    return (
        Kiosk.objects.select_related("resource__lab")
        .filter(token_hash=Kiosk.hash_token(token))
        .first()
    )


def active_kiosk_of(resource: Resource) -> Kiosk | None:
    return Kiosk.objects.filter(resource=resource, revoked_at__isnull=True).first()
