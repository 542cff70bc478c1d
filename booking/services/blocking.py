"""Blocking time on resources, for a maintenance window or a closure: see which bookings the
block would hit, then create it and cancel them at once.

One path for both, so that whatever blocks time says the same to bookers: every booking that
holds one of the resources during the block is cancelled with "<kind>: <reason>", never as a
late cancellation (it is not the booker's fault), and emits the block's event, through which
the booker is told (workflows' outbox). A session under way cannot be cancelled; the block is
refused until it ends.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from booking import queries
from booking.models import Booking, Closure, MaintenanceWindow, Resource
from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import User

from .bookings import BookingRefused, lock_resource, transition

REASON_MAX = min(
    length
    for model in (MaintenanceWindow, Closure)
    if (length := model._meta.get_field("reason").max_length) is not None
)
Block = TypeVar("Block", bound=models.Model)


class BlockRefused(BookingRefused):
    """The block cannot be made as given; nothing was written or cancelled."""


@dataclass(frozen=True)
class BlockKind:
    """What a kind of block says: the start of each cancel reason ("Maintenance"), the booking
    event each cancellation emits, and the action its creation is logged under."""

    label: str
    event: str
    action: str


def bookings_hit_by(
    *, resources: Sequence[Resource], starts_at: datetime.datetime, ends_at: datetime.datetime
) -> QuerySet[Booking]:
    """The bookings a block of the resources over [starts_at, ends_at) would cancel, in time
    order: those holding a resource at some moment of it."""
    return (
        queries.holding_bookings(resources, starts_at, ends_at)
        .select_related("user", "project", "resource")
        .order_by("start", "pk")
    )


def _window_problem(
    starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str
) -> Problem | None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        return Problem("naive_datetime", _("Times must include a time zone."), "starts_at")
    if ends_at <= starts_at:
        return Problem("ends_before_start", _("The window must end after it starts."), "ends_at")
    if not reason.strip():
        return Problem("reason_missing", _("Say why: bookers see the reason."), "reason")
    if len(reason.strip()) > REASON_MAX:
        return Problem(
            "reason_too_long",
            _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX},
            "reason",
        )
    return None


IN_USE = gettext_lazy(
    "Someone is checked in until %(time)s on %(date)s: start the window after they check out."
)


def _in_use_problem(hit: list[Booking]) -> Problem | None:
    """A session under way cannot be cancelled; it has to end first."""
    in_use = [booking for booking in hit if booking.status == Booking.Status.CHECKED_IN]
    if not in_use:
        return None
    until = max(booking.end for booking in in_use).astimezone(facility_zone())
    return Problem(
        "resource_in_use",
        IN_USE % {"time": f"{until:%H:%M}", "date": date_format(until, "d F")},
        "starts_at",
    )


def block_time(
    *,
    kind: BlockKind,
    resources: Sequence[Resource],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    by: User,
    create: Callable[[str], Block],
    now: datetime.datetime | None = None,
) -> tuple[Block, list[Booking]]:
    """Lock the resources, create the block (`create(reason)`, the reason stripped) and cancel
    every booking holding one of them during it; return the block and the cancelled bookings.

    Raises BlockRefused (`naive_datetime`, `ends_before_start`, `reason_missing`,
    `reason_too_long`, or `resource_in_use` when someone is checked in during the window).
    """
    now = now or timezone.now()
    if problem := _window_problem(starts_at, ends_at, reason):
        raise BlockRefused([problem])
    reason = reason.strip()
    with transaction.atomic():
        # In id order, so two blocks over the same resources cannot deadlock.
        locked = [lock_resource(resource) for resource in sorted(resources, key=lambda r: r.pk)]
        hit = list(
            bookings_hit_by(
                resources=locked, starts_at=starts_at, ends_at=ends_at
            ).select_for_update(of=("self",))
        )
        if problem := _in_use_problem(hit):
            raise BlockRefused([problem])
        block = create(reason)
        for booking in hit:
            transition(
                booking,
                Booking.Status.CANCELLED,
                by=by,
                cancelled_at=now,
                cancel_reason=f"{kind.label}: {reason}",
                late_cancellation=False,
                event=kind.event,
            )
        log(instance=block, action=kind.action, user=by, data={"cancelled": [b.pk for b in hit]})
    return block, hit
