"""Booking a resource and moving a booking through its life cycle: check, write, log, emit.

Views, forms, the API and the admin call these and nothing else.
"""

import datetime
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from booking import events
from booking.audit import log
from booking.models import Booking, BookingSeries, Resource
from booking.permissions import why_not_cancellable, why_not_changeable
from booking.rules import Proposal, evaluate, is_late_cancellation
from labitory.refusals import Problem, Refused
from people.models import Project, User

SLOT_TAKEN = Problem(
    "slot_taken", "Someone else has just booked that time. Choose another slot.", "start"
)


class BookingRefused(Refused):
    """The booking breaks one or more rules; nothing was written."""


class IllegalTransition(Refused):
    """The booking's life cycle does not allow the change (`illegal_transition`)."""

    def __init__(self, booking: Booking, to: str, message: str = ""):
        message = message or (
            f"A {booking.get_status_display().lower()} booking cannot become {to}."
        )
        super().__init__("illegal_transition", message)
        self.booking = booking
        self.to = to


def _is_slot_conflict(error: DatabaseError) -> bool:
    """An exclusion violation or a deadlock between racing writers both mean 'slot taken'."""
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate in {"23P01", "40P01"}


@contextmanager
def slot_conflicts_refused():
    """Turn a lost race (exclusion violation or deadlock) into BookingRefused(slot_taken)."""
    try:
        yield
    except (IntegrityError, OperationalError) as error:
        if _is_slot_conflict(error):
            raise BookingRefused([SLOT_TAKEN]) from error
        raise


# The locked row also says whether the resource has quotas or required policies, so the
# rules skip those look-ups when it has none. Written out: every booking runs it, and
# compiling the equivalent queryset cost more than running it.
LOCK_SQL = """
SELECT r.*,
       EXISTS (SELECT 1 FROM booking_quota q WHERE q.resource_id = r.id) AS has_quotas,
       EXISTS (SELECT 1 FROM booking_requiredpolicy p WHERE p.resource_id = r.id)
           AS has_required_policies
  FROM booking_resource r
 WHERE r.id = %s
"""


def lock_resource(resource: Resource) -> Resource:
    """Serialise every booking write on this resource for the rest of the transaction."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("A resource is locked inside a transaction.")
    # SQLite locks the whole database for the writing transaction instead.
    sql = LOCK_SQL + (" FOR UPDATE OF r" if connection.features.has_select_for_update else "")
    for locked in Resource.objects.raw(sql, [resource.pk]):
        # SQLite answers EXISTS with 0 or 1; the rules read the flags as booleans.
        locked.has_quotas = bool(locked.has_quotas)
        locked.has_required_policies = bool(locked.has_required_policies)
        return locked
    raise Resource.DoesNotExist(f"There is no resource {resource.pk}.")


def create_checked(
    locked: Resource,
    proposal: Proposal,
    *,
    now: datetime.datetime,
    note: str = "",
    series: BookingSeries | None = None,
) -> Booking:
    """Inside a transaction holding the resource lock: check every rule, then write and log."""
    verdict = evaluate(proposal, now=now)
    if not verdict.ok:
        raise BookingRefused(verdict.problems)
    status = Booking.Status.REQUESTED if verdict.approval_reasons else Booking.Status.CONFIRMED
    booking = Booking.objects.create(
        resource=locked,
        user=proposal.user,
        project=proposal.project,
        start=proposal.start,
        end=proposal.end,
        status=status,
        exclusive=locked.is_exclusive,
        note=note,
        series=series,
    )
    log(booking, f"booking.{status}", user=proposal.user)
    events.emit(
        booking,
        status,
        by=proposal.user,
        approval_reasons=verdict.approval_reasons,
        created=True,
    )
    return booking


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
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        return create_checked(
            locked, Proposal(locked, user, project, start, end), now=now, note=note
        )


def change_booking(
    *,
    booking: Booking,
    by: User,
    start: datetime.datetime,
    end: datetime.datetime,
    project: Project | None,
    user: User | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Move, re-charge or hand over (to `user`) a booking, re-checked against every rule."""
    now = now or timezone.now()
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(booking.resource)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if refusal := why_not_changeable(booking, now=now):
            raise IllegalTransition(booking, "changed", refusal)
        holder = user or booking.user
        proposal = Proposal(locked, holder, project, start, end, booking_id=booking.pk)
        verdict = evaluate(proposal, now=now)
        if not verdict.ok:
            raise BookingRefused(verdict.problems)
        before = {"start": booking.start, "end": booking.end, "user": booking.user_id}
        booking.start, booking.end, booking.project, booking.user = start, end, project, holder
        booking.save(update_fields=["start", "end", "project", "user"])
        action = "booking.handed_over" if holder.pk != before["user"] else "booking.changed"
        log(booking, action, user=by, data={k: str(v) for k, v in before.items()})
        events.emit(booking, action.removeprefix("booking."), by=by)
        return booking


def transition(
    booking: Booking, to: str, *, by: User | None, event: str | None = None, **changes
) -> Booking:
    """Move a booking to another status if its life cycle allows it; log and emit the event.

    The event defaults to the new status; callers name a more specific one (for example
    `cancelled_by_maintenance`) so that receivers hear of the change exactly once.
    """
    if to not in Booking.TRANSITIONS[booking.status]:
        raise IllegalTransition(booking, to)
    booking.status = to
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *changes])
    log(booking, f"booking.{to}", user=by, data={k: str(v) for k, v in changes.items()})
    events.emit(booking, event or to, changes.get("cancel_reason", ""), by=by)
    return booking


def cancel_booking(
    *, booking: Booking, by: User, reason: str = "", now: datetime.datetime | None = None
) -> Booking:
    """Cancel; after the resource's cut-off the cancellation is marked late (it may be charged)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)
        if refusal := why_not_cancellable(booking, now=now):
            raise IllegalTransition(booking, Booking.Status.CANCELLED, refusal)
        return transition(
            booking,
            Booking.Status.CANCELLED,
            by=by,
            cancelled_at=now,
            cancel_reason=reason,
            late_cancellation=is_late_cancellation(booking, now),
        )
