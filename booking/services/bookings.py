"""Booking a resource and moving a booking through its life cycle: check, write, log, emit.

Views, forms, the API and the admin call these and nothing else.
"""

import datetime
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking import events
from booking.answers import read_answers, save_answers, stored_answers
from booking.approval import ApprovalReason, reasons_for
from booking.audit import log
from booking.models import Booking, BookingSeries, Resource
from booking.permissions import why_not_cancellable, why_not_changeable
from booking.rules import Proposal, Verdict, charged_project, evaluate, is_late_cancellation
from labitory.refusals import Problem, Refused
from people.models import Project, User


def slot_taken() -> Problem:
    """A racing writer got the slot first (the exclusion constraint, or a deadlock)."""
    return Problem(
        "slot_taken", _("Someone else has just booked that time. Choose another slot."), "start"
    )


class BookingRefused(Refused):
    """The booking breaks one or more rules; nothing was written."""


class IllegalTransition(Refused):
    """The booking's life cycle does not allow the change (`illegal_transition`)."""

    def __init__(self, booking: Booking, to: str, message: str = ""):
        message = message or _("A %(status)s booking cannot become %(to)s.") % {
            "status": booking.get_status_display().lower(),
            "to": to,
        }
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
            raise BookingRefused([slot_taken()]) from error
        raise


# The locked row also says whether the resource has quotas, required policies or questions,
# so the rules and the answers skip those look-ups when it has none. Written out: every
# booking runs it, and compiling the equivalent queryset cost more than running it.
LOCK_SQL = """
SELECT r.*,
       EXISTS (SELECT 1 FROM booking_quota q WHERE q.resource_id = r.id) AS has_quotas,
       EXISTS (SELECT 1 FROM booking_requiredpolicy p WHERE p.resource_id = r.id)
           AS has_required_policies,
       EXISTS (SELECT 1 FROM booking_bookingquestion b WHERE b.resource_id = r.id)
           AS has_questions
  FROM booking_resource r
 WHERE r.id = %s
"""


def _resource_row(resource: Resource, sql: str) -> Resource:
    for row in Resource.objects.raw(sql, [resource.pk]):
        # SQLite answers EXISTS with 0 or 1; the rules read the flags as booleans.
        row.has_quotas = bool(row.has_quotas)
        row.has_required_policies = bool(row.has_required_policies)
        row.has_questions = bool(row.has_questions)
        return row
    raise Resource.DoesNotExist(f"There is no resource {resource.pk}.")


def lock_resource(resource: Resource) -> Resource:
    """Serialise every booking write on this resource for the rest of the transaction."""
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("A resource is locked inside a transaction.")
    # SQLite locks the whole database for the writing transaction instead.
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update else ""
    return _resource_row(resource, LOCK_SQL + lock)


def read_resource(resource: Resource) -> Resource:
    """The resource as the rules read it (see LOCK_SQL), without locking it: for previews,
    which must not queue behind bookings being written."""
    return _resource_row(resource, LOCK_SQL)


def create_checked(
    locked: Resource,
    proposal: Proposal,
    *,
    now: datetime.datetime,
    note: str = "",
    series: BookingSeries | None = None,
    answer_problems: tuple[Problem, ...] | list[Problem] = (),
) -> Booking:
    """Inside a transaction holding the resource lock: check every rule, then write the
    booking with its answers (read_answers checked them: `answer_problems`) and log."""
    verdict = evaluate(proposal, now=now)
    refuse_unless_ok(verdict, answer_problems)
    return write_booking(locked, proposal, verdict, by=proposal.user, note=note, series=series)


def refuse_unless_ok(verdict: Verdict, answer_problems: Iterable[Problem] = ()) -> None:
    answer_problems = list(answer_problems)
    if answer_problems or not verdict.ok:
        raise BookingRefused([*answer_problems, *verdict.problems])


def write_booking(
    locked: Resource,
    proposal: Proposal,
    verdict: Verdict,
    *,
    by: User,
    note: str = "",
    series: BookingSeries | None = None,
    log_data: dict | None = None,
) -> Booking:
    """Write the booking the rules accepted (`verdict`) with its answers, log it as made by
    `by` and emit the event."""
    status = verdict.booking_status
    booking = Booking.objects.create(
        resource=locked,
        user=proposal.user,
        project=charged_project(proposal),
        start=proposal.start,
        end=proposal.end,
        status=status,
        exclusive=locked.is_exclusive,
        note=note,
        series=series,
    )
    save_answers(booking, proposal.answers, replace=False)
    log(booking, f"booking.{status}", user=by, data=log_data)
    events.emit(booking, status, by=by, approval_reasons=verdict.approval_reasons, created=True)
    return booking


def request_booking(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    note: str = "",
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Book the resource if every rule allows it; confirmed, or requested when it needs approval.

    `answers` are the booker's answers to the resource's questions (question id → value).
    Raises BookingRefused with every problem found; a lost race is `slot_taken`.
    """
    now = now or timezone.now()
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        found = read_answers(locked, user, project, answers or {})
        proposal = Proposal(locked, user, project, start, end, answers=found.values)
        return create_checked(locked, proposal, now=now, note=note, answer_problems=found.problems)


def preview_booking(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
    settled_elsewhere: frozenset[str] = frozenset(),
) -> Verdict:
    """What request_booking would decide, read only: no lock, nothing written. The verdict's
    problems include those with the answers; its approval reasons say why it would wait.

    Problems whose codes are in `settled_elsewhere` (a form that settles them itself, such as
    policies ticked in the booking form) are left out, and the approval reasons are judged
    as if they were settled."""
    now = now or timezone.now()
    row = read_resource(resource)
    found = read_answers(row, user, project, answers or {})
    proposal = Proposal(row, user, project, start, end, answers=found.values)
    verdict = evaluate(proposal, now=now)
    kept = [problem for problem in verdict.problems if problem.code not in settled_elsewhere]
    if len(kept) < len(verdict.problems) and not kept:
        verdict.approval_reasons = reasons_for(proposal)
    verdict.problems = [*found.problems, *kept]
    return verdict


def _is_unchanged(booking: Booking, proposal: Proposal) -> bool:
    wanted = (proposal.start, proposal.end, getattr(proposal.project, "pk", None))
    answered = {(answer.question_id, answer.value) for answer in proposal.answers}
    return (
        wanted == (booking.start, booking.end, booking.project_id)
        and proposal.user.pk == booking.user_id
        and answered == set(booking.answers.values_list("question_id", "value"))
    )


def _changed_proposal(
    booking: Booking,
    resource: Resource,
    user: User | None,
    project: Project | None,
    times: tuple[datetime.datetime, datetime.datetime],
    answers: Mapping[str, object] | None,
) -> tuple[Proposal, list[Problem]]:
    """The change as the rules judge it, and the problems with its answers. Without new
    answers the booking's own are kept, less those no longer asked (another project)."""
    user = user or booking.user
    if answers is None:
        found = read_answers(resource, user, project, stored_answers(booking), drop_unasked=True)
    else:
        found = read_answers(resource, user, project, answers)
    proposal = Proposal(resource, user, project, *times, booking.pk, answers=found.values)
    return proposal, found.problems


@dataclass(frozen=True)
class ChangeVerdict:
    """What a change to a booking would do: the rules it breaks, or the status the booking
    would have after it and why it would wait for approval. `changes` is False when the
    change alters nothing (the booking is left as it is)."""

    problems: tuple[Problem, ...]
    approval_reasons: tuple[ApprovalReason, ...]
    status: str
    changes: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def needs_approval(self) -> bool:
        return bool(self.approval_reasons)


def judge_change(
    booking: Booking,
    proposal: Proposal,
    *,
    now: datetime.datetime,
    answer_problems: list[Problem] | tuple[Problem, ...] = (),
) -> ChangeVerdict:
    """The one verdict on a change, for the change itself and for its preview.

    A changed booking is judged as if booked afresh, so a change that needs approval sends it
    back to `requested` (one that no longer does confirms it); a change that alters nothing
    needs nothing.
    """
    if refusal := why_not_changeable(booking, now=now):
        raise IllegalTransition(booking, _("changed"), refusal)
    if not answer_problems and _is_unchanged(booking, proposal):
        return ChangeVerdict((), (), booking.status, changes=False)
    verdict = evaluate(proposal, now=now)
    status = verdict.booking_status
    if status != booking.status and status not in Booking.TRANSITIONS[booking.status]:
        raise IllegalTransition(booking, status)
    problems = (*answer_problems, *verdict.problems)
    return ChangeVerdict(problems, tuple(verdict.approval_reasons), status)


def preview_change(
    *,
    booking: Booking,
    start: datetime.datetime,
    end: datetime.datetime,
    project: Project | None,
    user: User | None = None,
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> ChangeVerdict:
    """What change_booking would do with this change, read only: no lock, nothing written.

    Raises IllegalTransition, as the change would, for a booking that cannot be changed.
    """
    now = now or timezone.now()
    resource = read_resource(booking.resource)
    proposal, problems = _changed_proposal(booking, resource, user, project, (start, end), answers)
    return judge_change(booking, proposal, now=now, answer_problems=problems)


def change_booking(
    *,
    booking: Booking,
    by: User,
    start: datetime.datetime,
    end: datetime.datetime,
    project: Project | None,
    user: User | None = None,
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Move, re-charge, re-answer or hand over (to `user`) a booking, re-checked against
    every rule. Left out (None), `answers` stay as they were.

    A change that needs approval puts the booking back to `requested` (its slot still held)
    and the event carries the reasons, on which the approvals app opens a fresh request,
    superseding any the booking was waiting on. Raises BookingRefused or IllegalTransition.
    """
    now = now or timezone.now()
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(booking.resource)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        proposal, problems = _changed_proposal(
            booking, locked, user, project, (start, end), answers
        )
        judged = judge_change(booking, proposal, now=now, answer_problems=problems)
        if not judged.ok:
            raise BookingRefused(list(judged.problems))
        if not judged.changes:
            return booking
        return _apply_change(booking, proposal, judged, by=by)


def _apply_change(
    booking: Booking, proposal: Proposal, judged: ChangeVerdict, *, by: User
) -> Booking:
    before = {
        "start": booking.start,
        "end": booking.end,
        "user": booking.user_id,
        "status": booking.status,
    }
    booking.start, booking.end = proposal.start, proposal.end
    booking.project, booking.user = charged_project(proposal), proposal.user
    booking.status = judged.status
    booking.save(update_fields=["start", "end", "project", "user", "status"])
    save_answers(booking, proposal.answers)
    action = "booking.handed_over" if booking.user_id != before["user"] else "booking.changed"
    log(booking, action, user=by, data={k: str(v) for k, v in before.items()})
    events.emit(
        booking, action.removeprefix("booking."), by=by, approval_reasons=judged.approval_reasons
    )
    return booking


def transition(
    booking: Booking,
    to: str,
    *,
    by: User | None,
    event: str | None = None,
    reason: str = "",
    log_data: Mapping[str, object] | None = None,
    **changes,
) -> Booking:
    """Move a booking to another status if its life cycle allows it; log and emit the event.

    The event defaults to the new status; callers name a more specific one (for example
    `cancelled_by_maintenance`) so that receivers hear of the change exactly once. The
    reason told to the booker defaults to the cancellation's; `log_data` adds to the log.
    """
    if to not in Booking.TRANSITIONS[booking.status]:
        raise IllegalTransition(booking, to)
    booking.status = to
    for name, value in changes.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *changes])
    data = {**{k: str(v) for k, v in changes.items()}, **(log_data or {})}
    log(booking, f"booking.{to}", user=by, data=data)
    events.emit(booking, event or to, reason or changes.get("cancel_reason", ""), by=by)
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
