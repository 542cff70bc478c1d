"""RFC 5545 recurrence for booking series: build a rule, expand it into occurrences.

Occurrences keep their local wall-clock time: a 10:00 weekly booking stays at 10:00 in the
facility's zone across a DST change.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, rrulestr

MAX_OCCURRENCES = 100
FREQUENCIES = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class InvalidRule(ValueError):
    """The recurrence cannot be used for bookings; the message says why."""


@dataclass(frozen=True)
class Recurrence:
    frequency: str  # DAILY, WEEKLY or MONTHLY
    interval: int = 1
    weekdays: tuple[str, ...] = ()  # MO … SU, weekly only
    count: int | None = None
    until: datetime.date | None = None

    def as_rrule(self) -> str:
        """The RRULE text, after checking the recurrence ends and stays within limits."""
        if self.frequency not in FREQUENCIES:
            raise InvalidRule("Repeat daily, weekly or monthly.")
        if not 1 <= self.interval <= 52:
            raise InvalidRule("The interval must be between 1 and 52.")
        if (self.count is None) == (self.until is None):
            raise InvalidRule("Say how the series ends: after a number of times, or on a date.")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise InvalidRule(f"A series has between 1 and {MAX_OCCURRENCES} occurrences.")
        if any(day not in WEEKDAY_CODES for day in self.weekdays):
            raise InvalidRule("Unknown weekday.")
        parts = [f"FREQ={self.frequency}", f"INTERVAL={self.interval}"]
        if self.weekdays and self.frequency == "WEEKLY":
            ordered = [day for day in WEEKDAY_CODES if day in self.weekdays]
            parts.append("BYDAY=" + ",".join(ordered))
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        else:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        return ";".join(parts)


def occurrences(
    rule: str, start: datetime.datetime, end: datetime.datetime, zone: zoneinfo.ZoneInfo
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Each occurrence's (start, end), aware, from an RRULE anchored at the first booking.

    The first booking is always the first occurrence, even if the rule's weekdays omit it.
    """
    local_start = start.astimezone(zone).replace(tzinfo=None)
    duration_local = end.astimezone(zone).replace(tzinfo=None) - local_start
    try:
        recurrence = rrulestr(rule, dtstart=local_start)
    except (ValueError, TypeError) as error:
        raise InvalidRule(f"Not a recurrence rule: {error}") from error
    found = []
    for index, local in enumerate(recurrence):
        if index >= MAX_OCCURRENCES:
            raise InvalidRule(f"A series has at most {MAX_OCCURRENCES} occurrences.")
        found.append((local.replace(tzinfo=zone), (local + duration_local).replace(tzinfo=zone)))
    if not found or found[0][0] != start.astimezone(zone):
        found.insert(0, (start.astimezone(zone), end.astimezone(zone)))
    return found


__all__ = ["InvalidRule", "Recurrence", "occurrences"]
