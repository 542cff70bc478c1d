"""Closures: a time a resource, or every resource of a lab, cannot be booked (a holiday, a
shutdown). See which bookings a closure would hit, then close.

Closing goes through the same path as maintenance (blocking.py): every booking holding a
closed resource then is cancelled with "Closed: <reason>", never late, and its booker is told
by the staff cancellation notice, which carries the reason.
"""

import datetime

from django.db.models import QuerySet

from booking.models import Booking, Closure, Lab, Resource
from people.models import User

from .blocking import BlockKind, block_time, bookings_hit_by

# The booker's notice is the one for a cancellation by staff ("cancelled by <name>"), with
# the reason; approval requests of cancelled bookings close as for any cancellation.
CLOSURE = BlockKind(label="Closed", event="cancelled", action="booking.closure.created")


def resources_closed(*, lab: Lab | None, resource: Resource | None) -> QuerySet[Resource]:
    """The resources a closure of one resource, or of a whole lab, applies to."""
    if resource is not None:
        return Resource.objects.filter(pk=resource.pk)
    return Resource.objects.filter(lab=lab)


def bookings_hit_by_closure(
    *,
    lab: Lab | None,
    resource: Resource | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> QuerySet[Booking]:
    """The bookings a closure over [starts_at, ends_at) would cancel, in time order."""
    closed = list(resources_closed(lab=lab, resource=resource))
    return bookings_hit_by(resources=closed, starts_at=starts_at, ends_at=ends_at)


def create_closure(
    *,
    lab: Lab | None = None,
    resource: Resource | None = None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    by: User,
    now: datetime.datetime | None = None,
) -> Closure:
    """Create the closure (of the resource, or of every resource of the lab) and cancel every
    booking holding a closed resource during it, at once; see blocking.block_time for the
    refusals (BlockRefused)."""

    def create(reason: str) -> Closure:
        return Closure.objects.create(
            lab=lab, resource=resource, starts_at=starts_at, ends_at=ends_at, reason=reason
        )

    closure, _ = block_time(
        kind=CLOSURE,
        resources=list(resources_closed(lab=lab, resource=resource)),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        by=by,
        create=create,
        now=now,
    )
    return closure
