"""Every change to training: a request, a session (its time held like a booking), joining
it, recording who attended and signing them off, which creates or renews the booking app's
`Qualification` and keeps its history. Each step tells the people concerned through the
outbox, in the transaction of the change.
"""

import datetime
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from booking.models import Booking, Qualification, Resource
from booking.services.holds import hold_time, release_hold
from labitory.clock import facility_zone
from labitory.refusals import Problem, Refused
from people.models import Project, User

from .models import Attendance, QualificationRecord, TrainingRequest, TrainingSession
from .notify import tell_attendee, tell_signed_off, tell_trainers
from .permissions import can_request_training, can_train
from .policy import expiry_from, policy_of

NOTE_MAX = 2000
Status = TrainingRequest.Status


class TrainingRefused(Refused):
    """The training step cannot be taken as asked; nothing was written."""


def _today(now: datetime.datetime) -> datetime.date:
    return now.astimezone(facility_zone()).date()


def _request_problem(resource: Resource, by: User, note: str, now) -> Problem | None:
    if not resource.requires_qualification:
        return Problem("training_not_required", f"{resource.name} needs no training.")
    if len(note) > NOTE_MAX:
        return Problem("note_too_long", f"Keep it under {NOTE_MAX} characters.", "note")
    if TrainingRequest.objects.filter(
        resource=resource, requester=by, status__in=TrainingRequest.OPEN
    ).exists():
        return Problem(
            "already_requested", f"You have already asked for training on {resource.name}."
        )
    return None


def request_training(
    *, resource: Resource, by: User, note: str = "", now: datetime.datetime | None = None
) -> TrainingRequest:
    """Ask for training (or renewal) on the resource; its lab's trainers are told.

    Raises TrainingRefused: `resource_inactive`, `training_not_required`, `note_too_long`,
    `already_requested` (409).
    """
    now = now or timezone.now()
    if not can_request_training(by, resource):
        raise TrainingRefused("resource_inactive", f"{resource.name} is no longer in use.")
    note = note.strip()
    if problem := _request_problem(resource, by, note, now):
        raise TrainingRefused([problem])
    with transaction.atomic():
        made = TrainingRequest.objects.create(
            resource=resource, requester=by, note=note, created_at=now
        )
        log(instance=made, action="training.requested", user=by)
        tell_trainers(made)
    return made


def withdraw_request(*, request: TrainingRequest, by: User) -> TrainingRequest:
    """The requester no longer wants training; a seat they held in a session is freed."""
    with transaction.atomic():
        request = TrainingRequest.objects.select_for_update().get(pk=request.pk)
        if request.requester_id != by.pk:
            raise TrainingRefused("not_your_request", "Only the person who asked may withdraw.")
        if request.status not in TrainingRequest.OPEN:
            raise TrainingRefused("request_closed", "This request is already closed.")
        if request.session_id:
            Attendance.objects.filter(session=request.session_id, user=by).delete()
        request.status, request.session = Status.WITHDRAWN, None
        request.save(update_fields=["status", "session"])
        log(instance=request, action="training.withdrawn", user=by)
    return request


def _session_problem(resource, trainer, by, capacity, invited) -> Problem | None:
    if not can_train(by, resource.lab):
        return Problem("not_trainer", f"Only {resource.lab}'s trainers may schedule training.")
    if not can_train(trainer, resource.lab):
        return Problem(
            "trainer_not_lab_trainer", f"Choose one of {resource.lab}'s trainers.", "trainer"
        )
    if capacity < 1:
        return Problem("capacity_too_small", "A session has at least one seat.", "capacity")
    if len(invited) > capacity:
        return Problem("too_many_invited", f"Invite at most {capacity} people.", "invite")
    if any(r.resource_id != resource.pk or r.status != Status.PENDING for r in invited):
        return Problem("request_not_waiting", "Invite only people waiting for it.", "invite")
    return None


def schedule_session(
    *,
    resource: Resource,
    by: User,
    trainer: User,
    project: Project,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    kind: str = TrainingSession.Kind.INDUCTION,
    invite: Sequence[TrainingRequest] = (),
    open_to_requesters: bool = True,
    note: str = "",
    now: datetime.datetime | None = None,
) -> TrainingSession:
    """Schedule a session: hold its time on the resource (refused, never overlapping, when
    the time is taken: `slot_taken`), seat the invited requesters and send them the `.ics`.

    Raises TrainingRefused (`not_trainer` 403, `trainer_not_lab_trainer`, `capacity_too_small`,
    `too_many_invited`, `request_not_waiting`) or the hold's refusals (`in_the_past`,
    `ends_before_start`, `blocked`, `slot_taken` 409).
    """
    now = now or timezone.now()
    invited = list(invite)
    if problem := _session_problem(resource, trainer, by, capacity, invited):
        raise TrainingRefused([problem])
    with transaction.atomic():
        hold = hold_time(
            resource=resource,
            holder=trainer,
            project=project,
            start=starts_at,
            end=ends_at,
            purpose=Booking.Purpose.TRAINING,
            note=f"{TrainingSession.Kind(kind).label} session",
            now=now,
        )
        session = TrainingSession.objects.create(
            resource=resource,
            trainer=trainer,
            hold=hold,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            open_to_requesters=open_to_requesters,
            note=note.strip()[:300],
        )
        log(instance=session, action="training.scheduled", user=by)
        for request in TrainingRequest.objects.select_for_update().filter(
            pk__in=[r.pk for r in invited], status=Status.PENDING
        ):
            _seat(session, request, by)
    return session


def _seat(session: TrainingSession, request: TrainingRequest, by: User) -> Attendance:
    attendance = Attendance.objects.create(session=session, user=request.requester)
    request.status, request.session = Status.SCHEDULED, session
    request.save(update_fields=["status", "session"])
    log(instance=request, action="training.seated", user=by, data={"session": session.pk})
    tell_attendee("training_scheduled", session, request.requester, by)
    return attendance


def join_session(
    *, session: TrainingSession, by: User, now: datetime.datetime | None = None
) -> Attendance:
    """A requester picks a session open to requesters: they get a seat and the `.ics`.

    Raises TrainingRefused: `no_waiting_request`, `session_closed` (409), `session_full` (409).
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        request = (
            TrainingRequest.objects.select_for_update()
            .filter(resource=session.resource_id, requester=by, status=Status.PENDING)
            .first()
        )
        if request is None:
            raise TrainingRefused(
                "no_waiting_request", "Ask for training on this instrument first."
            )
        if (
            session.status != TrainingSession.Status.SCHEDULED
            or session.starts_at <= now
            or not session.open_to_requesters
        ):
            raise TrainingRefused("session_closed", "This session is not open to join.")
        if session.attendances.count() >= session.capacity:
            raise TrainingRefused("session_full", "This session is full: choose another.")
        return _seat(session, request, by)


def cancel_session(
    *, session: TrainingSession, by: User, reason: str, now: datetime.datetime | None = None
) -> TrainingSession:
    """Call a session off: its time is freed and its attendees wait for another session.

    Raises TrainingRefused: `not_trainer` (403), `session_closed` (409), `reason_missing`.
    """
    now = now or timezone.now()
    if not can_train(by, session.resource.lab):
        raise TrainingRefused("not_trainer", f"Only {session.resource.lab}'s trainers may.")
    if not reason.strip():
        raise TrainingRefused(
            [Problem("reason_missing", "Say why: attendees see the reason.", "reason")]
        )
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != TrainingSession.Status.SCHEDULED or session.starts_at <= now:
            raise TrainingRefused("session_closed", "Only a session yet to start can be cancelled.")
        session.status = TrainingSession.Status.CANCELLED
        session.save(update_fields=["status"])
        release_hold(hold=session.hold, by=by, reason=f"Training cancelled: {reason.strip()}")
        for attendance in session.attendances.select_related("user"):
            tell_attendee("training_cancelled", session, attendance.user, by, reason=reason)
        session.requests.filter(status=Status.SCHEDULED).update(status=Status.PENDING, session=None)
        log(instance=session, action="training.cancelled", user=by, data={"reason": reason})
    return session


Outcome = tuple[bool, str]  # attended, level ("" when not signed off)


def _record_problem(session: TrainingSession, by: User, outcomes, now) -> Problem | None:
    if not can_train(by, session.resource.lab):
        return Problem("not_trainer", f"Only {session.resource.lab}'s trainers may sign off.")
    if session.status == TrainingSession.Status.CANCELLED:
        return Problem("session_closed", "This session was cancelled.")
    if now < session.starts_at:
        return Problem("session_not_started", "Record attendance once the session has begun.")
    levels = {level for attended, level in outcomes.values() if level}
    if not levels <= set(Attendance.Level.values):
        return Problem("unknown_level", "Choose supervised or unsupervised.")
    if any(level and not attended for attended, level in outcomes.values()):
        return Problem("signed_off_absent", "Only someone who attended can be signed off.")
    return None


def record_training(
    *,
    session: TrainingSession,
    by: User,
    outcomes: Mapping[int, Outcome],
    now: datetime.datetime | None = None,
) -> list[Attendance]:
    """After the session: who attended (user id → attended, level) and at which level each
    is signed off. A sign-off creates or renews the person's qualification with the expiry
    the resource's training policy gives, and is kept in the qualification's history.

    Raises TrainingRefused: `not_trainer` (403), `session_closed` (409),
    `session_not_started` (409), `unknown_level`, `signed_off_absent`, `not_in_session`.
    """
    now = now or timezone.now()
    if problem := _record_problem(session, by, outcomes, now):
        raise TrainingRefused([problem])
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        seated = {a.user_id: a for a in session.attendances.select_related("user")}
        if set(outcomes) - set(seated):
            raise TrainingRefused("not_in_session", "Record only the people in the session.")
        for user_id, (attended, level) in outcomes.items():
            _record_one(session, seated[user_id], attended, level, by, now)
        session.status = TrainingSession.Status.DONE
        session.save(update_fields=["status"])
        log(instance=session, action="training.recorded", user=by)
    return list(seated.values())


def _record_one(session, attendance: Attendance, attended: bool, level: str, by, now) -> None:
    if attendance.signed_off_at is not None:
        return  # a sign-off stands; it is never taken back by recording again
    attendance.attended, attendance.level = attended, level
    if level:
        attendance.expires_on = sign_off(
            user=attendance.user, resource=session.resource, unsupervised=level == "unsupervised",
            by=by, session=session, now=now,
        )  # fmt: skip
        attendance.signed_off_at = now
    attendance.save()
    outcome = Status.SIGNED_OFF if level else Status.NOT_SIGNED_OFF
    session.requests.filter(requester=attendance.user).update(status=outcome)


def sign_off(
    *,
    user: User,
    resource: Resource,
    unsupervised: bool,
    by: User | None,
    session: TrainingSession | None = None,
    now: datetime.datetime,
) -> datetime.date | None:
    """Create or renew the user's qualification on the resource, expiring as its training
    policy says from today; keep the change in the history. Returns the new expiry."""
    expires_on = expiry_from(policy_of(resource), _today(now))
    existing = Qualification.objects.select_for_update().filter(user=user, resource=resource)
    previous = existing.first()
    Qualification.objects.update_or_create(
        user=user,
        resource=resource,
        defaults={
            "granted_by": by, "expires_on": expires_on, "unsupervised": unsupervised,
            "note": f"Signed off {_today(now):%d %b %Y} by {by.name if by else 'the facility'}",
        },
    )  # fmt: skip
    action = (
        QualificationRecord.Action.RENEWED if previous else QualificationRecord.Action.SIGNED_OFF
    )
    QualificationRecord.objects.create(
        user=user, resource=resource, action=action, unsupervised=unsupervised,
        expires_on=expires_on, previous_expiry=previous.expires_on if previous else None,
        session=session, by=by, at=now,
    )  # fmt: skip
    tell_signed_off(user, resource, unsupervised, expires_on, by)
    return expires_on
