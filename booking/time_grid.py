"""The instrument calendar as a time grid: an hour axis down, the days across, free time cut
into rows of the resource's granularity and what holds the resource drawn as one block per
stretch, as tall as it lasts.

Built from an `Availability` (booking/availability.py) and nothing else, so the grid costs
no query of its own and shows exactly what the list beside it shows. The page's script
(static/js/time-grid.js) lets a person choose a start and an end on it; without the script,
or on a phone, the list is shown instead.
"""

import datetime
from dataclasses import dataclass

from .availability import Availability, Entry, Slot, suggested_length

# The grid always shows at least these hours; it widens to fit what the days hold.
USUAL_HOURS = (8, 18)
# Rows shorter than this would make the grid too tall to read: a finer granularity is
# chosen in the booking form.
SHORTEST_ROW = 15


@dataclass(frozen=True)
class Cell:
    """One cell of a day's column: a free row, or a block spanning `rows` rows.

    `kind` is "free", "unavailable" (closed, past, too soon or too far ahead) or the kind of
    what holds the resource ("own", "booked", "full", "maintenance", "closed", ...). A free
    cell that can start a booking carries the slot the list would offer there (`slot`) and
    the end of its free stretch (`stretch_end`): the script never lets a choice run past it.
    """

    kind: str
    start: datetime.datetime
    end: datetime.datetime
    rows: int = 1
    label: str = ""
    booking_id: int | None = None
    slot: Slot | None = None
    stretch_end: datetime.datetime | None = None

    @property
    def is_free(self) -> bool:
        return self.kind == "free"

    @property
    def is_block(self) -> bool:
        return self.kind not in ("free", "unavailable")


@dataclass(frozen=True)
class Row:
    """One step of the hour axis and, for each day, the cell that starts on it (None where a
    block from an earlier row still covers that day)."""

    start: datetime.time
    on_the_hour: bool
    cells: list[Cell | None]

    @property
    def is_morning(self) -> bool:
        """The row the grid opens scrolled to when it starts earlier (a resource open all day)."""
        return self.start == datetime.time(USUAL_HOURS[0])


@dataclass(frozen=True)
class TimeGrid:
    days: list[datetime.date]
    today: datetime.date
    rows: list[Row]
    step: int  # minutes per row
    suggested: int  # minutes a booking lasts when only its start is chosen

    @property
    def first(self) -> datetime.time:
        return self.rows[0].start


def row_minutes(granularity: int) -> int:
    """The smallest multiple of the granularity that is at least SHORTEST_ROW minutes."""
    return granularity * max(1, -(-SHORTEST_ROW // granularity))


def _hours_shown(availability: Availability) -> tuple[int, int]:
    """First and last hour of the axis: the usual hours, widened to every entry shown."""
    first, last = USUAL_HOURS
    for day in availability.days:
        for entry in day.entries:
            first = min(first, entry.start.hour)
            ends_next_day = entry.end.date() > day.date
            last = max(last, 24 if ends_next_day else entry.end.hour + bool(entry.end.minute))
    return first, last


def _column(
    entries: list[Entry],
    bounds: list[tuple[datetime.datetime, datetime.datetime]],
) -> dict[int, Cell]:
    """The cells of one day, keyed by the row each starts on."""
    busy = [entry for entry in entries if not entry.is_free]
    free = [entry for entry in entries if entry.is_free]
    cells: dict[int, Cell] = {}
    index = 0
    while index < len(bounds):
        a, b = bounds[index]
        holder = next((e for e in busy if e.start < b and e.end > a), None)
        if holder is not None:
            span = _span(bounds, index, lambda s, e, h=holder: h.start < e and h.end > s)
            cells[index] = Cell(
                holder.kind,
                holder.start,
                holder.end,
                span,
                holder.label,
                holder.booking_id,
            )
        elif stretch := next((e for e in free if e.start <= a and b <= e.end), None):
            slot = next((s for s in stretch.slots if s.start == a), None)
            cells[index] = Cell("free", a, b, slot=slot, stretch_end=stretch.end)
            span = 1
        else:
            span = _span(bounds, index, lambda s, e: _unavailable(s, e, busy, free))
            cells[index] = Cell("unavailable", a, bounds[index + span - 1][1], span)
        index += span
    return cells


def _span(bounds, index: int, holds) -> int:
    """How many rows from `index` on satisfy `holds(start, end)` (at least one)."""
    span = 1
    while index + span < len(bounds) and holds(*bounds[index + span]):
        span += 1
    return span


def _unavailable(a, b, busy: list[Entry], free: list[Entry]) -> bool:
    return not any(e.start < b and e.end > a for e in busy) and not any(
        e.start <= a and b <= e.end for e in free
    )


def time_grid(availability: Availability) -> TimeGrid:
    """The availability's days as a grid of rows of the resource's granularity (at least a
    quarter of an hour), from the first to the last hour that holds anything."""
    resource = availability.resource
    step = row_minutes(resource.granularity)
    first, last = _hours_shown(availability)
    start_minute = first * 60 // step * step
    minutes = list(range(start_minute, last * 60, step))
    zone = availability.zone
    columns = []
    for day in availability.days:
        midnight = datetime.datetime.combine(day.date, datetime.time(), tzinfo=zone)
        bounds = [
            (
                (midnight + datetime.timedelta(minutes=m)).astimezone(zone),
                (midnight + datetime.timedelta(minutes=min(m + step, 24 * 60))).astimezone(zone),
            )
            for m in minutes
        ]
        columns.append(_column(day.entries, bounds))
    rows = [
        Row(
            start=datetime.time(m // 60, m % 60),
            on_the_hour=m % 60 == 0,
            cells=[column.get(index) for column in columns],
        )
        for index, m in enumerate(minutes)
    ]
    return TimeGrid(
        days=[day.date for day in availability.days],
        today=availability.today,
        rows=rows,
        step=step,
        suggested=int(suggested_length(resource).total_seconds() // 60),
    )
