"""The lab schedule: all resources of one lab for a day (hours across) or a week (days across).

Staff see who booked; maintenance and closures are drawn on the same lines. The page runs
a fixed number of queries whatever the number of bookings (see booking/schedule.py).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from labitory.clock import facility_zone

from ..calendar import Interval
from ..models import Booking, Closure, Lab, MaintenanceWindow, Resource
from ..permissions import labs_in_scope
from ..schedule import Entry, ResourceLine, lab_schedule

DAY, WEEK = "day", "week"
# The day view always shows at least these hours; it widens to fit what is on the lines.
USUAL_HOURS = (8, 18)
HOUR = datetime.timedelta(hours=1)


@dataclass
class Placed:
    """An entry as drawn: its text, where it links, and its place on the line or in a day."""

    entry: Entry
    time_label: str
    url: str
    left: float = 0.0
    width: float = 0.0
    lane: int = 0

    @property
    def kind_label(self) -> str:
        labels = {"maintenance": "Maintenance", "closure": "Closed", "outage": "Down"}
        return labels.get(self.entry.kind, "")

    @property
    def text(self) -> str:
        """Everything the block says, for its tooltip (the link text says the same)."""
        parts = [self.time_label, self.kind_label, self.entry.title, self.entry.detail]
        parts.append(self.entry.status_label)
        parts.extend(self.entry.answers)
        return " · ".join(part for part in parts if part)


@dataclass(frozen=True)
class EmptyCell:
    """An hour of a resource's line that staff may click: to book it for a researcher or to
    block it, each through its own screen, filled in with the resource and the hour."""

    label: str
    left: float
    width: float
    book_for_url: str
    block_url: str


@dataclass
class DayRow:
    line: ResourceLine
    blocks: list[Placed]
    open_segments: list[tuple[float, float]]
    lanes: int
    cells: list[EmptyCell] = field(default_factory=list)


@dataclass
class WeekCell:
    day: datetime.date
    items: list[Placed] = field(default_factory=list)
    is_closed: bool = False


@dataclass
class WeekRow:
    line: ResourceLine
    cells: list[WeekCell]


def midnight(day: datetime.date, zone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)


def hhmm(moment: datetime.datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def local_input(moment: datetime.datetime, zone, sep: str = "T") -> str:
    """A moment as a date-and-time field takes it: 2030-03-05T10:00 for the browser's own
    picker, 2030-03-05 10:00 (`sep=" "`) for Wagtail's."""
    return moment.astimezone(zone).strftime(f"%Y-%m-%d{sep}%H:%M")


def now_at(start: datetime.datetime, end: datetime.datetime) -> float | None:
    """Where now falls across [start, end), in per cent, or None outside it."""
    now = timezone.now()
    if not start <= now < end:
        return None
    return round((now - start).total_seconds() / (end - start).total_seconds() * 100, 3)


def assign_lanes(blocks: list[Placed]) -> int:
    """Put overlapping blocks on separate lanes (a bench with several seats); return the count."""
    lane_ends: list[datetime.datetime] = []
    for block in blocks:
        for lane, ends in enumerate(lane_ends):
            if ends <= block.entry.start:
                block.lane, lane_ends[lane] = lane, block.entry.end
                break
        else:
            block.lane = len(lane_ends)
            lane_ends.append(block.entry.end)
    return max(1, len(lane_ends))


class LabScheduleView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "booking/admin/lab_schedule.html"
    page_title = "Lab schedule"
    header_icon = "table"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        self.labs = list(labs_in_scope(request.user))
        if not self.labs:
            raise PermissionDenied
        self.lab = self.chosen_lab()
        self.zone = facility_zone()
        self.mode = WEEK if request.GET.get("view") == WEEK else DAY
        self.day = self.chosen_day()
        return super().dispatch(request, *args, **kwargs)

    def chosen_lab(self) -> Lab:
        wanted = self.request.GET.get("lab")
        if not wanted:
            return self.labs[0]
        for lab in self.labs:
            if str(lab.pk) == wanted:
                return lab
        raise PermissionDenied

    def chosen_day(self) -> datetime.date:
        try:
            return datetime.date.fromisoformat(self.request.GET.get("date", ""))
        except ValueError:
            return timezone.localdate(timezone=self.zone)

    def get_page_subtitle(self):
        return self.lab.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": self.page_title, "sublabel": self.lab.name},
        ]

    # Navigation.

    @cached_property
    def step(self) -> datetime.timedelta:
        return datetime.timedelta(days=7 if self.mode == WEEK else 1)

    @cached_property
    def first_day(self) -> datetime.date:
        if self.mode == WEEK:
            return self.day - datetime.timedelta(days=self.day.weekday())
        return self.day

    def url_for(self, day: datetime.date, mode: str | None = None) -> str:
        query = {"lab": self.lab.pk, "date": day.isoformat(), "view": mode or self.mode}
        return f"{self.request.path}?{urlencode(query)}"

    @cached_property
    def header_buttons(self):
        bookings = reverse(Booking.snippet_viewset.get_url_name("list"))
        return [
            HeaderButton(
                "Bookings of this lab",
                url=f"{bookings}?{urlencode({'lab': self.lab.pk})}",
                icon_name="list-ul",
            )
        ]

    # Entries.

    def url_of(self, entry: Entry, resource: Resource) -> str:
        if entry.kind == "booking":
            name = Booking.snippet_viewset.get_url_name("inspect")
        elif entry.kind == "maintenance":
            name = MaintenanceWindow.snippet_viewset.get_url_name("edit")
        elif entry.kind == "outage":
            return reverse(
                Resource.snippet_viewset.get_url_name("status"), args=(quote(resource.pk),)
            )
        else:
            name = Closure.snippet_viewset.get_url_name("edit")
        return reverse(name, args=(quote(entry.object_id),))

    def time_label(self, entry: Entry, start: datetime.datetime, end: datetime.datetime) -> str:
        """Local times within [start, end); an entry running past either edge says so."""
        if entry.start <= start and entry.end >= end:
            return "All day"
        opens = "…" if entry.start < start else hhmm(entry.start, self.zone)
        closes = "…" if entry.end > end else hhmm(entry.end, self.zone)
        return f"{opens}–{'24:00' if closes == '00:00' else closes}"

    # The day view.

    def day_bounds(self, lines: list[ResourceLine], start, end) -> tuple[int, int]:
        """First and last hour shown: the usual hours, widened to what is on the lines."""
        first, last = USUAL_HOURS
        for line in lines:
            moments = [(e.start, e.end) for e in line.entries] + line.opening
            for a, b in moments:
                if b <= start or a >= end:
                    continue
                a, b = max(a, start).astimezone(self.zone), min(b, end).astimezone(self.zone)
                first = min(first, a.hour)
                last = max(last, 24 if b.date() > self.day else b.hour + (1 if b.minute else 0))
        return first, last

    def day_rows(self, lines, shown_start, shown_end) -> list[DayRow]:
        span = (shown_end - shown_start).total_seconds()

        def place(a: datetime.datetime, b: datetime.datetime) -> tuple[float, float]:
            a, b = max(a, shown_start), min(b, shown_end)
            left = (a - shown_start).total_seconds() / span * 100
            return round(left, 3), round((b - a).total_seconds() / span * 100, 3)

        rows = []
        for line in lines:
            blocks = []
            for entry in line.entries:
                if entry.end <= shown_start or entry.start >= shown_end:
                    continue
                left, width = place(entry.start, entry.end)
                label = self.time_label(entry, shown_start, shown_end)
                blocks.append(Placed(entry, label, self.url_of(entry, line.resource), left, width))
            segments = [place(a, b) for a, b in line.opening if a < shown_end and b > shown_start]
            row = DayRow(line, blocks, segments, assign_lanes(blocks))
            if line.resource.is_active:
                row.cells = self.empty_cells(line.resource, shown_start, shown_end, place)
            rows.append(row)
        return rows

    def empty_cells(self, resource: Resource, shown_start, shown_end, place) -> list[EmptyCell]:
        """The hours still to come on the line, each leading to Book for a researcher and to
        a maintenance window, filled in with the resource and the hour."""
        now = timezone.now()
        book_for = reverse(Booking.snippet_viewset.get_url_name("book_for"))
        block = reverse(MaintenanceWindow.snippet_viewset.get_url_name("add"))
        cells, moment = [], shown_start
        while moment < shown_end:
            a, b = moment, min(moment + HOUR, shown_end)
            moment = b
            if b <= now:
                continue
            booking = {
                "resource": resource.pk,
                "start": local_input(a, self.zone),
                "end": local_input(b, self.zone),
            }
            blocking = {
                "resource": resource.pk,
                "starts_at": local_input(a, self.zone, " "),
                "ends_at": local_input(b, self.zone, " "),
            }
            left, width = place(a, b)
            cells.append(
                EmptyCell(
                    label=f"{hhmm(a, self.zone)}–{hhmm(b, self.zone)} on {resource.name}",
                    left=left,
                    width=width,
                    book_for_url=f"{book_for}?{urlencode(booking)}",
                    block_url=f"{block}?{urlencode(blocking)}",
                )
            )
        return cells

    def day_context(self) -> dict:
        start = midnight(self.day, self.zone)
        end = midnight(self.day + datetime.timedelta(days=1), self.zone)
        schedule = lab_schedule(self.lab, start, end)
        first, last = self.day_bounds(schedule.lines, start, end)
        shown_start = start.replace(hour=first).astimezone(datetime.UTC)
        shown_end = (end if last == 24 else start.replace(hour=last)).astimezone(datetime.UTC)
        hours, moment = [], shown_start
        while moment < shown_end:
            hours.append(hhmm(moment, self.zone))
            moment += HOUR
        return {
            "hours": hours,
            "now_left": now_at(shown_start, shown_end),
            "rows": self.day_rows(schedule.lines, shown_start, shown_end),
            "period_label": self.day.strftime("%A %-d %B %Y"),
        }

    # The week view.

    def week_rows(self, lines: list[ResourceLine], days: list[datetime.date]) -> list[WeekRow]:
        rows = []
        for line in lines:
            cells = []
            for day in days:
                start = midnight(day, self.zone)
                end = midnight(day + datetime.timedelta(days=1), self.zone)
                cell = WeekCell(day, is_closed=not self.opens(line.opening, start, end))
                for entry in line.entries:
                    if entry.start < end and entry.end > start:
                        label = self.time_label(entry, start, end)
                        cell.items.append(Placed(entry, label, self.url_of(entry, line.resource)))
                cells.append(cell)
            rows.append(WeekRow(line, cells))
        return rows

    @staticmethod
    def opens(opening: list[Interval], start, end) -> bool:
        return any(a < end and b > start for a, b in opening)

    def week_context(self) -> dict:
        days = [self.first_day + datetime.timedelta(days=n) for n in range(7)]
        start = midnight(days[0], self.zone)
        end = midnight(days[-1] + datetime.timedelta(days=1), self.zone)
        schedule = lab_schedule(self.lab, start, end)
        return {
            "days": [{"date": day, "url": self.url_for(day, DAY)} for day in days],
            "rows": self.week_rows(schedule.lines, days),
            "period_label": f"Week of {days[0]:%-d %B %Y}",
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate(timezone=self.zone)
        context.update(self.week_context() if self.mode == WEEK else self.day_context())
        context.update(
            labs=self.labs,
            lab=self.lab,
            mode=self.mode,
            day=self.day,
            today=today,
            previous_url=self.url_for(self.first_day - self.step),
            next_url=self.url_for(self.first_day + self.step),
            today_url=self.url_for(today),
            day_url=self.url_for(self.day, DAY),
            week_url=self.url_for(self.day, WEEK),
            step_name="week" if self.mode == WEEK else "day",
            book_for_url=reverse(Booking.snippet_viewset.get_url_name("book_for")),
        )
        return context
