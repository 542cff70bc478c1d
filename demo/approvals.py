"""Demo approval rules, and a few requests waiting for the demo approver and coordinator.

Made after the demo bookings (so that those are confirmed as booked) and only when the
facility has no approval rules yet, so a second run adds nothing.
"""

import datetime

from django.utils import timezone

from booking.models import Booking, Lab, Resource
from booking.services import BookingRefused, request_booking
from labitory.clock import facility_zone
from people.models import Project, User
from workflows.models import ApprovalRule, ApprovalStep

from . import content

BOOKER = "researcher@demo.labitory.test"


def seed_demo_approvals(now: datetime.datetime | None = None) -> int:
    """Create the demo rules and waiting requests if there are no rules; return requests made."""
    if ApprovalRule.objects.exists():
        return 0
    for order, data in enumerate(content.APPROVAL_RULES):
        ensure_rule(data, order)
    return request_demo_sorts(now or timezone.now())


def ensure_rule(data: dict, order: int) -> ApprovalRule:
    lab = Lab.objects.get(slug=data["lab"])
    rule = ApprovalRule.objects.create(
        name=data["name"], lab=lab, order=(order + 1) * 10, **data["conditions"]
    )
    rule.resources.set(Resource.objects.filter(lab=lab, name__in=data.get("resources", [])))
    rule.save()  # a ParentalManyToManyField writes on save
    for position, step in enumerate(data["steps"]):
        kind = step["approvers"]
        ApprovalStep.objects.create(
            rule=rule,
            sort_order=position,
            label=step["label"],
            approvers=ApprovalStep.Approvers.GROUP if kind == "coordinators" else kind,
            group=lab.coordinators if kind == "coordinators" else None,
        )
    rule.save_revision(log_action=True)
    return rule


def request_demo_sorts(now: datetime.datetime) -> int:
    """Two cell-sorting sessions next week, waiting for the PI (the demo approver)."""
    booker = User.objects.filter(email=BOOKER).first()
    sorter = Resource.objects.filter(name="Cell sorter FACSAria Fusion").first()
    if booker is None or sorter is None:
        return 0
    made = 0
    week_ahead = now.astimezone(facility_zone()).date() + datetime.timedelta(days=7)
    monday = week_ahead - datetime.timedelta(days=week_ahead.weekday())
    for day_offset in (1, 3):
        day = monday + datetime.timedelta(days=day_offset)
        made += book_first_free(booker, sorter, day, now)
    return made


def book_first_free(booker: User, resource: Resource, day: datetime.date, now) -> int:
    """Book two hours at the first free even hour of the day; 1 if a request was made."""
    project = Project.objects.for_member(booker).active_on(day).order_by("code").first()
    for hour in (10, 12, 14, 16):
        start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=facility_zone())
        try:
            booking = request_booking(
                user=booker,
                resource=resource,
                project=project,
                start=start,
                end=start + datetime.timedelta(hours=2),
                now=now,
            )
        except BookingRefused:
            continue
        return int(booking.status == Booking.Status.REQUESTED)
    return 0
