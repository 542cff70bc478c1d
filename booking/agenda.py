"""My bookings as an agenda and a month: bookings grouped by the facility's local day, each
series shown once at its next occurrence, and the month grid's booked days."""

import calendar
import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from booking.models import Booking

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    """One line of the agenda: a one-off booking, or a series at its next occurrence.

    `remaining` counts the series' occurrences still to come (1 for a one-off); `rest` is the
    first occurrence not yet started, from which "cancel the rest" cancels (None when none).
    """

    booking: Booking
    remaining: int
    rest: Booking | None

    @property
    def is_series(self) -> bool:
        return self.booking.series_id is not None


def collapsed(bookings: Iterable[Booking], *, now: datetime.datetime) -> list[Entry]:
    """One entry per one-off booking and one per series, in the order given (soonest first)."""
    by_series: dict[int, list[Booking]] = {}
    order: list[Booking] = []
    for booking in bookings:
        if booking.series_id is None:
            order.append(booking)
        elif booking.series_id in by_series:
            by_series[booking.series_id].append(booking)
        else:
            by_series[booking.series_id] = [booking]
            order.append(booking)
    return [_entry(booking, by_series.get(booking.series_id, []), now) for booking in order]


def _entry(first: Booking, occurrences: list[Booking], now: datetime.datetime) -> Entry:
    if first.series_id is None:
        return Entry(booking=first, remaining=1, rest=None)
    rest = next((each for each in occurrences if each.start > now), None)
    return Entry(booking=first, remaining=len(occurrences), rest=rest)


@dataclass(frozen=True)
class Day(Generic[T]):
    date: datetime.date
    label: str  # "Today", "Tomorrow" or "" (then the date is the heading)
    items: list[T]


def by_day(
    items: Iterable[T],
    *,
    start: Callable[[T], datetime.datetime],
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> list[Day[T]]:
    """Items (in order) under the facility-local day they start; one under way since
    yesterday sits under today, where the person looks for it."""
    today = now.astimezone(zone).date()
    names = {today: "Today", today + datetime.timedelta(days=1): "Tomorrow"}
    days: dict[datetime.date, list[T]] = {}
    for item in items:
        day = max(start(item).astimezone(zone).date(), today)
        days.setdefault(day, []).append(item)
    return [Day(date=day, label=names.get(day, ""), items=listed) for day, listed in days.items()]


@dataclass(frozen=True)
class Cell:
    date: datetime.date
    in_month: bool
    booked: int  # how many bookings start that day
    is_today: bool


def month_weeks(
    first: datetime.date, booked: dict[datetime.date, int], *, today: datetime.date
) -> list[list[Cell]]:
    """The month of `first` as weeks from Monday, each day with its count of bookings."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            Cell(
                date=day,
                in_month=day.month == first.month,
                booked=booked.get(day, 0),
                is_today=day == today,
            )
            for day in week
        ]
        for week in weeks
    ]


def month_bounds(
    first: datetime.date, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants the month of `first` starts and ends in the facility's zone."""
    after = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return (
        datetime.datetime.combine(first, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(after, datetime.time(), tzinfo=zone),
    )


def parse_month(text: str | None, *, today: datetime.date) -> datetime.date:
    """The first day of the month named "YYYY-MM"; this month when missing or garbled."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


def parse_day(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None
