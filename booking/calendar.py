"""Interval arithmetic in UTC and the resource's opening hours as concrete intervals.

An interval is a half-open pair (start, end) of aware datetimes.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

Interval = tuple[datetime.datetime, datetime.datetime]
UTC = datetime.UTC


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping intervals covering the same time; touching ones join."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(base: Iterable[Interval], cuts: Iterable[Interval]) -> list[Interval]:
    """The parts of `base` not covered by any of `cuts`."""
    remaining = merge(base)
    for cut_start, cut_end in merge(cuts):
        pieces: list[Interval] = []
        for start, end in remaining:
            if cut_end <= start or end <= cut_start:
                pieces.append((start, end))
                continue
            if start < cut_start:
                pieces.append((start, cut_start))
            if cut_end < end:
                pieces.append((cut_end, end))
        remaining = pieces
    return remaining


def covers(intervals: Iterable[Interval], start: datetime.datetime, end: datetime.datetime) -> bool:
    """True when the merged intervals contain [start, end) without a gap."""
    return any(a <= start and end <= b for a, b in merge(intervals))


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def opening_intervals(
    hours: Iterable[tuple[int, datetime.time, datetime.time]],
    start: datetime.datetime,
    end: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> list[Interval]:
    """Opening hours (weekday, opens, closes in local time) as UTC intervals within [start, end).

    No opening hours at all means always open. Local times are resolved on each date, so a
    day of a DST change has its true length.
    """
    hours = list(hours)
    if not hours:
        return [(start, end)]
    first = start.astimezone(zone).date() - datetime.timedelta(days=1)
    last = end.astimezone(zone).date()
    found: list[Interval] = []
    day = first
    while day <= last:
        for weekday, opens, closes in hours:
            if weekday != day.weekday():
                continue
            a = datetime.datetime.combine(day, opens, tzinfo=zone).astimezone(UTC)
            b = datetime.datetime.combine(day, closes, tzinfo=zone).astimezone(UTC)
            if a < end and start < b:
                found.append((max(a, start), min(b, end)))
        day += datetime.timedelta(days=1)
    return merge(found)


def saturated(intervals: Iterable[Interval], capacity: int) -> list[Interval]:
    """Where at least `capacity` of the intervals overlap (a sweep over their edges)."""
    edges = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    found: list[Interval] = []
    depth = 0
    opened: datetime.datetime | None = None
    for moment, step in edges:
        depth += step
        if depth >= capacity and opened is None:
            opened = moment
        elif depth < capacity and opened is not None:
            if opened < moment:
                found.append((opened, moment))
            opened = None
    return merge(found)


def taken(held: Iterable[Interval], *, buffer: datetime.timedelta, capacity: int) -> list[Interval]:
    """Where slot-holding bookings, each widened by the turnaround buffer, fill every seat."""
    return saturated([(start - buffer, end + buffer) for start, end in held], capacity)
