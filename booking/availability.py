"""The availability view of one resource: a day or a week of free slots and busy time.

Built from two reads, `queries.free_intervals` and `queries.busy_blocks`, over the whole
window at once, so its cost does not grow with the number of bookings. Everything here is
in the facility's local time.
"""

import datetime
import math
import zoneinfo
from dataclasses import dataclass, field

from labitory.clock import facility_zone
from people.models import User

from . import queries
from .calendar import Interval
from .models import Resource

DAY = "day"
WEEK = "week"
VIEWS = (DAY, WEEK)
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """A bookable start time, with the end the booking form suggests for it."""

    start: datetime.datetime
    end: datetime.datetime


@dataclass(frozen=True)
class Entry:
    """One stretch of a day: free (with its slots) or busy (with what holds it)."""

    start: datetime.datetime
    end: datetime.datetime
    kind: str
    label: str
    slots: tuple[Slot, ...] = ()
    booking_id: int | None = None

    @property
    def is_free(self) -> bool:
        return self.kind == "free"

    @property
    def ends_at_midnight(self) -> bool:
        """True when the stretch runs to the end of its day (shown as 24:00)."""
        return self.end.time() == datetime.time() and self.end.date() > self.start.date()


@dataclass(frozen=True)
class Day:
    date: datetime.date
    entries: list[Entry]
    is_today: bool
    note: str = ""

    @property
    def free_entries(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.is_free]


@dataclass(frozen=True)
class Availability:
    resource: Resource
    view: str
    anchor: datetime.date
    today: datetime.date
    zone: zoneinfo.ZoneInfo
    days: list[Day] = field(default_factory=list)

    @property
    def step(self) -> datetime.timedelta:
        return datetime.timedelta(days=7 if self.view == WEEK else 1)

    @property
    def first(self) -> datetime.date:
        return self.days[0].date

    @property
    def last(self) -> datetime.date:
        return self.days[-1].date

    @property
    def previous(self) -> datetime.date:
        return self.anchor - self.step

    @property
    def next(self) -> datetime.date:
        return self.anchor + self.step

    @property
    def starts_today(self) -> bool:
        return self.first == self.today


def suggested_length(resource: Resource) -> datetime.timedelta:
    """How long a booking made from a slot is at first: an hour, within the resource's limits,
    rounded up to its granularity."""
    minutes = min(max(resource.min_duration, 60), resource.max_duration)
    minutes = math.ceil(minutes / resource.granularity) * resource.granularity
    if minutes > resource.max_duration:
        minutes -= resource.granularity
    return datetime.timedelta(minutes=max(minutes, resource.granularity))


def _midnight(day: datetime.date, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)


def _first_mark(moment: datetime.datetime, step: int) -> datetime.datetime:
    """The first local time at or after `moment` on the granularity grid (minutes of the day)."""
    local = moment.replace(second=0, microsecond=0)
    if local < moment:
        local += datetime.timedelta(minutes=1)
    minutes = local.hour * 60 + local.minute
    return local + datetime.timedelta(minutes=-minutes % step)


def slots_in(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    earliest: datetime.datetime,
    latest: datetime.datetime,
) -> tuple[Slot, ...]:
    """Start times on the resource's granularity within a free local stretch [start, end),
    long enough for its minimum duration, between `earliest` and `latest`."""
    step = datetime.timedelta(minutes=resource.granularity)
    shortest = datetime.timedelta(minutes=resource.min_duration)
    length = suggested_length(resource)
    zone = start.tzinfo
    moment = _first_mark(max(start, earliest.astimezone(zone)), resource.granularity)
    found = []
    while moment + shortest <= end and moment <= latest:
        found.append(Slot(moment, min(moment + length, end)))
        # Step in UTC so that a day with a DST change keeps every real slot once.
        moment = (moment.astimezone(datetime.UTC) + step).astimezone(zone)
    return tuple(found)


def _clip(interval: Interval, start: datetime.datetime, end: datetime.datetime) -> Interval | None:
    a, b = max(interval[0], start), min(interval[1], end)
    return (a, b) if a < b else None


def _day_entries(
    resource: Resource,
    bounds: Interval,
    free: list[Interval],
    busy: list[queries.BusyBlock],
    *,
    earliest: datetime.datetime,
    latest: datetime.datetime,
) -> list[Entry]:
    zone = bounds[0].tzinfo
    entries = []
    for block in busy:
        if clipped := _clip((block.start, block.end), *bounds):
            a, b = (moment.astimezone(zone) for moment in clipped)
            entries.append(Entry(a, b, block.kind, block.label, booking_id=block.booking_id))
    for interval in free:
        if clipped := _clip(interval, *bounds):
            a, b = (moment.astimezone(zone) for moment in clipped)
            slots = slots_in(resource, a, b, earliest=earliest, latest=latest)
            if slots:
                entries.append(Entry(slots[0].start, b, "free", "Free", slots))
    return sorted(entries, key=lambda entry: (entry.start, entry.end))


def _day_note(
    day: datetime.date,
    entries: list[Entry],
    *,
    today: datetime.date,
    open_weekdays: set[int] | None,
    last_bookable: datetime.date,
    horizon_days: int,
) -> str:
    if any(entry.is_free for entry in entries):
        return ""
    if day < today:
        return "This day has passed."
    if open_weekdays is not None and day.weekday() not in open_weekdays:
        return "Closed all day."
    if day > last_bookable:
        opens = day - datetime.timedelta(days=horizon_days)
        return f"Bookings open {horizon_days} days ahead: from {opens:%-d %B}."
    return "No free time left on this day."


def availability(
    resource: Resource,
    *,
    day: datetime.date,
    view: str,
    viewer: User | None,
    now: datetime.datetime,
) -> Availability:
    """Free slots and busy time of the resource on one day, or the seven days from it.

    Free time starts no sooner than the resource's minimum notice and no later than its
    booking horizon; past time shows only what held the resource.
    """
    zone = facility_zone()
    view = view if view in VIEWS else DAY
    dates = [day + ONE_DAY * offset for offset in range(7 if view == WEEK else 1)]
    window = (_midnight(dates[0], zone), _midnight(dates[-1] + ONE_DAY, zone))
    free = queries.free_intervals(resource, *window)
    busy = queries.busy_blocks(resource, *window, viewer=viewer)
    hours = queries.opening_hours_of(resource)
    open_weekdays = {weekday for weekday, _, _ in hours} if hours else None

    earliest = now + datetime.timedelta(minutes=resource.min_notice)
    latest = now + datetime.timedelta(days=resource.horizon_days)
    today = now.astimezone(zone).date()
    days = []
    for date in dates:
        bounds = (_midnight(date, zone), _midnight(date + ONE_DAY, zone))
        entries = _day_entries(resource, bounds, free, busy, earliest=earliest, latest=latest)
        note = _day_note(
            date,
            entries,
            today=today,
            open_weekdays=open_weekdays,
            last_bookable=latest.astimezone(zone).date(),
            horizon_days=resource.horizon_days,
        )
        days.append(Day(date, entries, date == today, note))
    return Availability(resource, view, day, today, zone, days)
