"""Maintenance windows: see which bookings a window would hit, then schedule it.

Scheduling cancels every booking that holds the resource during the window, through the one
path that blocks time (blocking.py): never late, each booker told through a
`cancelled_by_maintenance` event.
"""

import datetime

from booking.models import MaintenanceWindow, Resource
from people.models import User

from .blocking import BlockKind, BlockRefused, block_time

MaintenanceRefused = BlockRefused  # the name callers of this module know it by

MAINTENANCE = BlockKind(
    label="Maintenance", event="cancelled_by_maintenance", action="booking.maintenance.scheduled"
)


def schedule_maintenance(
    *,
    resource: Resource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    by: User,
    now: datetime.datetime | None = None,
) -> MaintenanceWindow:
    """Create the window and cancel every booking holding the resource during it, at once.

    Each cancelled booking gets cancel_reason "Maintenance: <reason>"; see
    blocking.block_time for the rest and for the refusals.
    """

    def create(reason: str) -> MaintenanceWindow:
        return MaintenanceWindow.objects.create(
            resource=resource, starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=by
        )

    window, _ = block_time(
        kind=MAINTENANCE,
        resources=[resource],
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        by=by,
        create=create,
        now=now,
    )
    return window
