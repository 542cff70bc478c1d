"""The waiting list: wait for a taken slot, be offered it in turn when it frees, accept it.

An entry is waiting, then offered (for WAITLIST_OFFER_MINUTES), then accepted, or its offer
expires and passes to the next in line; a waiting or offered entry can be withdrawn. An
offer is only made when the slot could be booked by that person at that moment, and
accepting books it through `request_booking`, so every rule is checked again.

Locks are taken resource first, then entries, as `request_booking` does.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking import events
from booking.calendar import Interval, overlaps
from booking.models import Booking, Resource, WaitlistEntry
from booking.rules import Proposal, charged_project, evaluate
from labitory.refusals import Problem
from people.models import Project, User

from .bookings import BookingRefused, lock_resource, request_booking

Status = WaitlistEntry.Status
ACTIVE = (Status.WAITING, Status.OFFERED)


def slot_free() -> Problem:
    return Problem("slot_free", _("That time is free: book it instead of waiting."), "start")


def already_waiting() -> Problem:
    return Problem(
        "already_waiting", _("You are already on the waiting list for that time."), "start"
    )


class WaitlistRefused(BookingRefused):
    """Joining, accepting or withdrawing is not possible; nothing was written."""


def offer_hold() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES)


def join_waitlist(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime | None = None,
) -> WaitlistEntry:
    """Wait for a taken slot; the wish must pass every booking rule except `slot_taken`.

    Raises WaitlistRefused with the rules' problems, `slot_free` when the time can simply
    be booked, or `already_waiting` when the user waits for an overlapping time already.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_resource(resource)
        proposal = Proposal(locked, user, project, start, end)
        verdict = evaluate(proposal, now=now)
        problems = [problem for problem in verdict.problems if problem.code != "slot_taken"]
        if problems:
            raise WaitlistRefused(problems)
        # The rules call time held by bookings or on offer to someone else `slot_taken`.
        if "slot_taken" not in verdict.codes:
            raise WaitlistRefused([slot_free()])
        mine = WaitlistEntry.objects.filter(
            user=user, resource=locked, status__in=ACTIVE, start__lt=end, end__gt=start
        )
        if mine.exists():
            raise WaitlistRefused([already_waiting()])
        entry = WaitlistEntry.objects.create(
            resource=locked, user=user, project=charged_project(proposal), start=start, end=end
        )
        log(instance=entry, action="booking.waitlist.joined", user=user)
    return entry


def _offer(entry: WaitlistEntry, now: datetime.datetime) -> None:
    """Hold the slot for the entry until the offer lapses, or the slot can no longer be booked."""
    last_chance = entry.start - datetime.timedelta(minutes=entry.resource.min_notice)
    entry.status = Status.OFFERED
    entry.offered_at = now
    entry.offer_expires_at = min(now + offer_hold(), last_chance)
    entry.save(update_fields=["status", "offered_at", "offer_expires_at"])
    log(
        instance=entry,
        action="booking.waitlist.offered",
        user=None,
        data={"expires_at": entry.offer_expires_at.isoformat()},
    )
    events.emit_waitlist(entry, "waitlist_offered")


def offer_freed_slot(
    *,
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime | None = None,
) -> list[WaitlistEntry]:
    """Offer freed time [start, end) to those waiting for it, in the order they joined.

    A waiting entry overlapping the freed time is offered its slot when its holder could book
    it now (every rule passes) and no open offer overlaps it. Returns the entries offered.
    """
    now = now or timezone.now()
    offered: list[WaitlistEntry] = []
    with transaction.atomic():
        locked = lock_resource(resource)
        candidates = (
            WaitlistEntry.objects.select_for_update(of=("self",))
            .filter(
                resource=locked, status=Status.WAITING, start__lt=end, end__gt=start, start__gt=now
            )
            .select_related("user", "project")
            .order_by("created_at", "pk")
        )
        held: list[Interval] = list(
            WaitlistEntry.objects.filter(
                resource=locked, status=Status.OFFERED, offer_expires_at__gt=now
            ).values_list("start", "end")
        )
        for entry in candidates:
            if any(overlaps((entry.start, entry.end), interval) for interval in held):
                continue
            proposal = Proposal(locked, entry.user, entry.project, entry.start, entry.end)
            if not evaluate(proposal, now=now).ok:
                continue
            entry.resource = locked
            _offer(entry, now)
            held.append((entry.start, entry.end))
            offered.append(entry)
    return offered


def offer_slot_of(*, booking: Booking, now: datetime.datetime | None = None) -> list[WaitlistEntry]:
    """Offer the time of a booking that no longer holds its slot to those waiting for it."""
    if booking.holds_slot:
        return []
    return offer_freed_slot(
        resource=booking.resource, start=booking.start, end=booking.end, now=now
    )


def _lock_entry(entry: WaitlistEntry) -> WaitlistEntry:
    lock_resource(entry.resource)
    return (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("resource", "project")
        .get(pk=entry.pk)
    )


def _acceptance_problem(entry: WaitlistEntry, user: User, now: datetime.datetime) -> Problem | None:
    if entry.user_id != user.pk:
        return Problem("not_your_offer", _("This offer was made to someone else."))
    if entry.status != Status.OFFERED:
        return Problem("no_open_offer", _("There is no open offer for this waiting list entry."))
    if entry.offer_expires_at is None or now >= entry.offer_expires_at:
        return Problem(
            "offer_expired", _("The offer has expired; the slot went to the next in line.")
        )
    return None


def accept_offer(
    *,
    entry: WaitlistEntry,
    user: User,
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> Booking:
    """Take an offered slot: booked through `request_booking`, so every rule applies again,
    the resource's questions with `answers` (question id → value) among them.

    Returns the booking; the entry becomes accepted and points at it. Raises WaitlistRefused
    (`not_your_offer`, `no_open_offer`, `offer_expired`) or BookingRefused from the rules;
    either way nothing is written.
    """
    now = now or timezone.now()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if problem := _acceptance_problem(entry, user, now):
            raise WaitlistRefused([problem])
        booking = request_booking(
            user=user,
            resource=entry.resource,
            project=entry.project,
            start=entry.start,
            end=entry.end,
            answers=answers,
            now=now,
        )
        entry.status = Status.ACCEPTED
        entry.booking = booking
        entry.save(update_fields=["status", "booking"])
        log(
            instance=entry,
            action="booking.waitlist.accepted",
            user=user,
            data={"booking": booking.pk},
        )
        events.emit_waitlist(entry, "waitlist_accepted")
    return booking


def withdraw(
    *, entry: WaitlistEntry, user: User, now: datetime.datetime | None = None
) -> WaitlistEntry:
    """Leave the waiting list; an open offer passes to the next in line.

    Raises WaitlistRefused (`not_your_entry`, `not_waiting`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        entry = _lock_entry(entry)
        if entry.user_id != user.pk:
            raise WaitlistRefused(
                [Problem("not_your_entry", _("This is someone else's waiting list entry."))]
            )
        if entry.status not in ACTIVE:
            raise WaitlistRefused(
                [Problem("not_waiting", _("This entry is no longer on the waiting list."))]
            )
        was_offered = entry.status == Status.OFFERED
        entry.status = Status.WITHDRAWN
        entry.save(update_fields=["status"])
        log(instance=entry, action="booking.waitlist.withdrawn", user=user)
        if was_offered:
            offer_freed_slot(resource=entry.resource, start=entry.start, end=entry.end, now=now)
    return entry


def _expire(pk: int, now: datetime.datetime) -> WaitlistEntry | None:
    """Claim one lapsed offer (skipped if another run holds it) and mark it expired."""
    with transaction.atomic():
        entry = (
            WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status=Status.OFFERED, offer_expires_at__lte=now)
            .select_related("resource")
            .first()
        )
        if entry is None:
            return None
        entry.status = Status.EXPIRED
        entry.save(update_fields=["status"])
        log(instance=entry, action="booking.waitlist.expired", user=None)
        events.emit_waitlist(entry, "waitlist_offer_expired")
    return entry


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """Offers not accepted in time expire and pass to the next in line; returns how many.

    Safe to run twice and concurrently: each offer is claimed once. Each expiry commits
    before the slot is offered on, so no entry lock is held while waiting for a resource.
    """
    now = now or timezone.now()
    lapsed = WaitlistEntry.objects.filter(
        status=Status.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(lapsed):
        entry = _expire(pk, now)
        if entry is None:
            continue
        expired += 1
        offer_freed_slot(resource=entry.resource, start=entry.start, end=entry.end, now=now)
    return expired
