"""Recurring bookings: preview every occurrence's verdict, book the free ones, cancel parts."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from booking.clock import facility_zone
from booking.models import Booking, BookingSeries, Resource
from booking.recurrence import occurrences
from booking.rules import Problem, Proposal
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

    @property
    def is_free(self) -> bool:
        return not self.problems


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
) -> list[Occurrence]:
    """Book the slots in order, each checked against the ones before it (quotas, overlaps)."""
    verdicts = []
    for start, end in slots:
        try:
            with transaction.atomic():
                create_checked(
                    locked,
                    Proposal(locked, user, project, start, end),
                    now=now,
                    series=series,
                    note=note,
                )
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
    rule: str,
    now: datetime.datetime | None = None,
) -> list[Occurrence]:
    """Every occurrence with its own verdict: free, or the rules it breaks. Writes nothing."""
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone())
    verdicts: list[Occurrence] = []
    try:
        with transaction.atomic():
            locked = lock_resource(resource)
            verdicts = _book_each(
                locked, user=user, project=project, slots=slots, series=None, now=now
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
    """Book every free occurrence under one series; refused if none is free."""
    now = now or timezone.now()
    slots = occurrences(rule, start, end, facility_zone())
    with slot_conflicts_refused(), transaction.atomic():
        locked = lock_resource(resource)
        series = BookingSeries.objects.create(rule=rule, created_by=user)
        verdicts = _book_each(
            locked, user=user, project=project, slots=slots, series=series, now=now, note=note
        )
        if not any(occurrence.is_free for occurrence in verdicts):
            raise BookingRefused(list(verdicts[0].problems))
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
