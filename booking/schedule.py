"""A lab's schedule: every resource of one lab over a window, with what occupies it.

A read for staff (user names and answers are included). Seven queries whatever the number
of bookings: resources, bookings (with their users and projects), the bookings' answers,
maintenance, closures, outages, opening hours.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from labitory.clock import facility_zone

from .calendar import Interval, opening_intervals
from .models import Booking, Closure, Lab, MaintenanceWindow, OpeningHours, Outage, Resource

# Bookings that used or still hold the resource; cancelled, rejected and expired ones do not.
SHOWN_STATUSES = (
    Booking.Status.REQUESTED,
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
)


@dataclass(frozen=True)
class Entry:
    """One thing on a resource's line: a booking, a maintenance window, a closure or an outage."""

    kind: str  # "booking", "maintenance", "closure" or "outage"
    object_id: int
    start: datetime.datetime
    end: datetime.datetime
    title: str  # the booker's name, or the reason
    detail: str = ""  # the project code
    status: str = ""  # the booking's status value
    status_label: str = ""
    answers: tuple[str, ...] = ()  # "question: answer", for staff


@dataclass
class ResourceLine:
    resource: Resource
    entries: list[Entry] = field(default_factory=list)
    opening: list[Interval] = field(default_factory=list)


@dataclass
class LabSchedule:
    lab: Lab
    start: datetime.datetime
    end: datetime.datetime
    lines: list[ResourceLine]


def _booking_entry(booking: Booking) -> Entry:
    return Entry(
        kind="booking",
        object_id=booking.pk,
        start=booking.start,
        end=booking.end,
        title=booking.user.name,
        detail=booking.project.code,
        status=booking.status,
        status_label=booking.get_status_display(),
        answers=tuple(str(answer) for answer in booking.answers.all()),
    )


def lab_schedule(lab: Lab, start: datetime.datetime, end: datetime.datetime) -> LabSchedule:
    """The lab's resources (active first, by name) and everything on them within [start, end)."""
    resources = list(Resource.objects.filter(lab=lab).order_by("-is_active", "name"))
    ids = [resource.pk for resource in resources]
    entries: dict[int, list[Entry]] = defaultdict(list)

    bookings = (
        Booking.objects.filter(
            resource_id__in=ids, status__in=SHOWN_STATUSES, start__lt=end, end__gt=start
        )
        .select_related("user", "project")
        .prefetch_related("answers")
    )
    for booking in bookings:
        entries[booking.resource_id].append(_booking_entry(booking))

    windows = MaintenanceWindow.objects.filter(
        resource_id__in=ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("pk", "resource_id", "starts_at", "ends_at", "reason")
    for pk, resource_id, starts_at, ends_at, reason in windows:
        entries[resource_id].append(Entry("maintenance", pk, starts_at, ends_at, reason))

    closures = Closure.objects.filter(
        Q(lab=lab) | Q(resource_id__in=ids), starts_at__lt=end, ends_at__gt=start
    ).values_list("pk", "resource_id", "starts_at", "ends_at", "reason")
    for pk, resource_id, starts_at, ends_at, reason in closures:
        closure = Entry("closure", pk, starts_at, ends_at, reason)
        for line_id in [resource_id] if resource_id else ids:
            entries[line_id].append(closure)

    outages = Outage.objects.filter(
        resource_id__in=ids, starts_at__lt=end, ends_at__gt=start
    ).values_list("pk", "resource_id", "starts_at", "ends_at", "reason")
    for pk, resource_id, starts_at, ends_at, reason in outages:
        entries[resource_id].append(Entry("outage", pk, starts_at, ends_at, reason))

    hours: dict[int, list] = defaultdict(list)
    for resource_id, weekday, opens, closes in OpeningHours.objects.filter(
        resource_id__in=ids
    ).values_list("resource_id", "weekday", "opens", "closes"):
        hours[resource_id].append((weekday, opens, closes))

    zone = facility_zone()
    lines = [
        ResourceLine(
            resource=resource,
            entries=sorted(entries[resource.pk], key=lambda entry: (entry.start, entry.end)),
            opening=opening_intervals(hours[resource.pk], start, end, zone),
        )
        for resource in resources
    ]
    return LabSchedule(lab=lab, start=start, end=end, lines=lines)
