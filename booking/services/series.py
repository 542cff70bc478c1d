"""Recurring bookings: preview every occurrence's verdict, book the free ones, cancel parts.

A one-off booking is previewed the same way, as a series of one."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from booking import approval
from booking.models import Booking, BookingSeries, Resource
from booking.recurrence import occurrences
from booking.rules import Proposal
from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import Project, User

from .bookings import (
    BookingRefused,
    cancel_booking,
    create_checked,
    lock_resource,
    slot_conflicts_refused,
)


@dataclass(frozen=True)
class Occurrence:
    start: datetime.datetime
    end: datetime.datetime
    problems: tuple[Problem, ...] = ()
    # Why it would wait for approval; filled in by previews only.
    approval_reasons: tuple[approval.ApprovalReason, ...] = ()

    @property
    def is_free(self) -> bool:
        return not self.problems


class SeriesRefused(BookingRefused):
    """No occurrence of the series can be booked. `problems` are the first occurrence's;
    `occurrences` holds every occurrence's verdict."""

    def __init__(self, occurrences: list[Occurrence]):
        self.occurrences = occurrences
        super().__init__(list(occurrences[0].problems))

    @property
    def message(self) -> str:
        return "No occurrence of the series can be booked: see problems."

    def reported(self) -> list[Problem]:
        return [
            Problem(problem.code, problem.message, _field(f"occurrences.{index}", problem.field))
            for index, occurrence in enumerate(self.occurrences)
            for problem in occurrence.problems
        ]


def _field(prefix: str, field: str | None) -> str:
    return f"{prefix}.{field}" if field else prefix


class _Preview(Exception):
    """Raised to roll back a trial run of a series once its verdicts are known."""


def _book_each(
    locked: Resource,
    *,
    user: User,
    project: Project | None,
    slots: list[tuple[datetime.datetime, datetime.datetime]],
    series: BookingSeries | None,
    now: datetime.datetime,
    note: str = "",
    explain: bool = False,
) -> list[Occurrence]:
    """Book the slots in order, each checked against the ones before it (quotas, overlaps).

    With `explain`, each booked occurrence also says why it would need approval, judged
    before it is written (as the booking service judges it).
    """
    verdicts = []
    for start, end in slots:
        proposal = Proposal(locked, user, project, start, end)
        reasons = tuple(approval.reasons_for(proposal)) if explain else ()
        try:
            with transaction.atomic():
                create_checked(locked, proposal, now=now, series=series, note=note)
            verdicts.append(Occurrence(start, end, approval_reasons=reasons))
        except BookingRefused as refused:
            verdicts.append(Occurrence(start, end, tuple(refused.problems)))
    return verdicts


def preview_series(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    rule: str | None,
    now: datetime.datetime | None = None,
) -> list[Occurrence]:
    """Every occurrence with its own verdict: free (and why it would need approval), or
    the rules it breaks. Writes nothing. Without a rule, the one booking from start to end."""
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone()) if rule else [(start, end)]
    verdicts: list[Occurrence] = []
    try:
        with transaction.atomic():
            locked = lock_resource(resource)
            verdicts = _book_each(
                locked,
                user=user,
                project=project,
                slots=slots,
                series=None,
                now=now,
                explain=True,
            )
            raise _Preview
    except _Preview:
        pass
    return verdicts


def book_series(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    rule: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> tuple[BookingSeries, list[Occurrence]]:
    """Book every free occurrence under one series; SeriesRefused if none is free."""
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone())
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        series = BookingSeries.objects.create(rule=rule, created_by=user)
        verdicts = _book_each(
            locked, user=user, project=project, slots=slots, series=series, now=now, note=note
        )
        if not any(occurrence.is_free for occurrence in verdicts):
            raise SeriesRefused(verdicts)
        return series, verdicts


def cancel_series(
    *,
    booking: Booking,
    by: User,
    scope: str,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> list[Booking]:
    """Cancel this occurrence ("one"), it and the later ones ("following"), or the whole series."""
    if scope == "one" or booking.series_id is None:
        return [cancel_booking(booking=booking, by=by, reason=reason, now=now)]
    siblings = Booking.objects.filter(series_id=booking.series_id, status__in=Booking.HOLDING)
    if scope == "following":
        siblings = siblings.filter(start__gte=booking.start)
    elif scope != "all":
        raise ValueError(f"Unknown scope {scope!r}: use one, following or all.")
    with transaction.atomic():
        return [
            cancel_booking(booking=sibling, by=by, reason=reason, now=now)
            for sibling in siblings.order_by("start")
        ]
