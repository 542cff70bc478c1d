"""Booking a resource and moving a booking through its life cycle: check, write, log, emit.

Views, forms, the API and the admin call these and nothing else.
"""

import datetime

from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from people.models import Project, User

from booking import events
from booking.models import Booking, Resource
from booking.rules import Problem, Proposal, evaluate

SLOT_TAKEN = Problem(
    "slot_taken", "Someone else has just booked that time. Choose another slot.", "start"
)


class BookingRefused(Exception):
    """The booking breaks one or more rules; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.code}: {p.message}" for p in problems))
        self.problems = problems

    @property
    def codes(self) -> list[str]:
        return [problem.code for problem in self.problems]


class IllegalTransition(Exception):
    def __init__(self, booking: Booking, to: str):
        super().__init__(f"A {booking.get_status_display().lower()} booking cannot become {to}.")
        self.booking = booking
        self.to = to


def _is_slot_conflict(error: DatabaseError) -> bool:
    """An exclusion violation or a deadlock between racing writers both mean 'slot taken'."""
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate in {"23P01", "40P01"}


def request_booking(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Booking:
    """Book the resource if every rule allows it; confirmed, or requested when it needs approval.

    Raises BookingRefused with every problem found; a lost race is `slot_taken`.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = Resource.objects.select_for_update().get(pk=resource.pk)
            verdict = evaluate(Proposal(locked, user, project, start, end), now=now)
            if not verdict.ok:
                raise BookingRefused(verdict.problems)
            status = (
                Booking.Status.REQUESTED if verdict.approval_reasons else Booking.Status.CONFIRMED
            )
            booking = Booking.objects.create(
                resource=locked,
                user=user,
                project=project,
                start=start,
                end=end,
                status=status,
                exclusive=locked.is_exclusive,
                note=note,
            )
            log(instance=booking, action=f"booking.{status}", user=user)
            events.emit(booking.pk, status)
    except (IntegrityError, OperationalError) as error:
        if _is_slot_conflict(error):
            raise BookingRefused([SLOT_TAKEN]) from error
        raise
    return booking


def transition(booking: Booking, to: str, *, by: User | None, **changes) -> Booking:
    """Move a booking to another status if its life cycle allows it; log and emit the event."""
    if to not in Booking.TRANSITIONS[booking.status]:
        raise IllegalTransition(booking, to)
    booking.status = to
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *changes])
    log(
        instance=booking,
        action=f"booking.{to}",
        user=by,
        data={k: str(v) for k, v in changes.items()},
    )
    events.emit(booking.pk, to, changes.get("cancel_reason", ""))
    return booking


def cancel_booking(
    *, booking: Booking, by: User, reason: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel; after the resource's cut-off the cancellation is marked late (it may be charged)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
        cutoff = booking.start - datetime.timedelta(hours=booking.resource.cancellation_cutoff)
        return transition(
            booking,
            Booking.Status.CANCELLED,
            by=by,
            cancelled_at=now,
            cancel_reason=reason,
            late_cancellation=booking.status == Booking.Status.CONFIRMED and now > cutoff,
        )
