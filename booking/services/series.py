"""Recurring bookings: preview every occurrence's verdict, book the free ones, cancel parts.

A one-off booking is previewed the same way, as a series of one."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from booking import approval
from booking.answers import Answer, read_answers
from booking.models import Booking, BookingSeries, Resource
from booking.recurrence import occurrences
from booking.rules import Planned, Proposal, evaluate
from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import Project, User

from .bookings import (
    BookingRefused,
    cancel_booking,
    create_checked,
    lock_resource,
    read_resource,
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
        return _("No occurrence of the series can be booked: see problems.")

    def reported(self) -> list[Problem]:
        return [
            Problem(problem.code, problem.message, _field(f"occurrences.{index}", problem.field))
            for index, occurrence in enumerate(self.occurrences)
            for problem in occurrence.problems
        ]


def _field(prefix: str, field: str | None) -> str:
    return f"{prefix}.{field}" if field else prefix


def _book_each(
    locked: Resource,
    *,
    user: User,
    project: Project | None,
    slots: list[tuple[datetime.datetime, datetime.datetime]],
    series: BookingSeries | None,
    now: datetime.datetime,
    note: str = "",
    answers: tuple[Answer, ...] = (),
) -> list[Occurrence]:
    """Book the slots in order, each checked against the ones before it (quotas, overlaps)."""
    verdicts = []
    for start, end in slots:
        proposal = Proposal(locked, user, project, start, end, answers=answers)
        try:
            with transaction.atomic():
                create_checked(locked, proposal, now=now, series=series, note=note)
            verdicts.append(Occurrence(start, end))
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
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> list[Occurrence]:
    """Every occurrence with its own verdict: free (and why it would need approval), or
    the rules it breaks. Without a rule, the one booking from start to end. With
    `answers`, BookingRefused (`invalid`) when they are not fit to book with.

    Read only: nothing is locked or written, so a preview never waits for bookings being
    made. Each occurrence is judged with the free ones before it as planned bookings
    (Proposal.planned), as booking the series would count them once written.
    """
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone()) if rule else [(start, end)]
    resource = read_resource(resource)
    checked = _checked_answers(resource, user, project, answers) if answers is not None else ()
    verdicts: list[Occurrence] = []
    planned: list[Planned] = []
    for slot_start, slot_end in slots:
        proposal = Proposal(
            resource, user, project, slot_start, slot_end, planned=tuple(planned), answers=checked
        )
        verdict = evaluate(proposal, now=now)
        if verdict.ok:
            planned.append(Planned(slot_start, slot_end, verdict.booking_status))
        reasons = tuple(verdict.approval_reasons)
        verdicts.append(Occurrence(slot_start, slot_end, tuple(verdict.problems), reasons))
    return verdicts


def _checked_answers(
    resource: Resource, user: User, project: Project | None, answers: Mapping[str, object]
) -> tuple[Answer, ...]:
    """The answers every occurrence is booked with; BookingRefused when any is bad."""
    found = read_answers(resource, user, project, answers)
    if not found.ok:
        raise BookingRefused(found.problems)
    return found.values


def book_series(
    *,
    user: User,
    resource: Resource,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
    rule: str,
    note: str = "",
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime | None = None,
) -> tuple[BookingSeries, list[Occurrence]]:
    """Book every free occurrence under one series, each with the same answers;
    SeriesRefused if none is free, BookingRefused (`invalid`) if an answer is bad."""
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone())
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        checked = _checked_answers(locked, user, project, answers or {})
        series = BookingSeries.objects.create(rule=rule, created_by=user)
        verdicts = _book_each(
            locked,
            user=user,
            project=project,
            slots=slots,
            series=series,
            now=now,
            note=note,
            answers=checked,
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
