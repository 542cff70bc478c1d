"""Reads of booking state: what holds a resource, what is blocked, what is free."""

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from .calendar import Interval, opening_intervals, saturated, subtract
from .clock import facility_zone
from .models import Booking, Closure, MaintenanceWindow, OpeningHours, Resource


def holding_bookings(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> QuerySet[Booking]:
    """Bookings that occupy the resource at some moment of [start, end)."""
    bookings = Booking.objects.filter(
        resource=resource, status__in=Booking.HOLDING, start__lt=end, end__gt=start
    )
    return bookings.exclude(pk=exclude_id) if exclude_id else bookings


def opening_hours_of(resource: Resource) -> list[tuple[int, datetime.time, datetime.time]]:
    return list(
        OpeningHours.objects.filter(resource=resource).values_list("weekday", "opens", "closes")
    )


def blocked_intervals(
    resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[Interval, str]]:
    """Closures (the resource's or its lab's) and maintenance windows over [start, end)."""
    closures = Closure.objects.filter(
        Q(resource=resource) | Q(lab_id=resource.lab_id, resource__isnull=True),
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("starts_at", "ends_at", "reason")
    maintenance = MaintenanceWindow.objects.filter(
        resource=resource, starts_at__lt=end, ends_at__gt=start
    ).values_list("starts_at", "ends_at", "reason")
    return [((s, e), f"Closed: {reason}") for s, e, reason in closures] + [
        ((s, e), f"Maintenance: {reason}") for s, e, reason in maintenance
    ]


def taken_intervals(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> list[Interval]:
    """Times within [start, end) that hold no free seat, the turnaround buffer included."""
    buffer = datetime.timedelta(minutes=resource.buffer)
    rows = holding_bookings(resource, start - buffer, end + buffer, exclude_id=exclude_id)
    held = [(s - buffer, e + buffer) for s, e in rows.values_list("start", "end")]
    return saturated(held, resource.capacity)


def free_intervals(
    resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> list[Interval]:
    """When the resource can be booked within [start, end): open, not blocked, a seat free."""
    open_ = opening_intervals(opening_hours_of(resource), start, end, facility_zone())
    blocked = [interval for interval, _ in blocked_intervals(resource, start, end)]
    return subtract(open_, blocked + taken_intervals(resource, start, end))


def booked_hours(
    bookings: QuerySet[Booking], start: datetime.datetime, end: datetime.datetime
) -> Decimal:
    """Hours of the bookings starting within [start, end) that hold or used their slot."""
    used = bookings.filter(
        start__gte=start,
        start__lt=end,
        status__in=[*Booking.HOLDING, Booking.Status.COMPLETED, Booking.Status.NO_SHOW],
    ).values_list("start", "end")
    seconds = sum((e - s).total_seconds() for s, e in used)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))
