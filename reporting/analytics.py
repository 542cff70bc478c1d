"""Utilisation analytics: booked hours against available hours per instrument (open hours
less the hours it was down), its uptime, hours by department and project, no-show rates, and
a twelve-month trend. Reads only; each figure is one grouped query (no per-row look-ups)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum

from booking.calendar import opening_intervals
from booking.models import Booking, OpeningHours, Resource
from booking.queries import outages_within
from labitory.clock import facility_zone

from .models import UsageRecord

HOUR = Decimal(3600)
# Bookings that held their time (a no-show held it too, and kept others out).
HELD = (
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.COMPLETED,
    Booking.Status.NO_SHOW,
)


@dataclass
class Utilisation:
    resource: str
    booked_hours: Decimal
    open_hours: Decimal
    no_shows: int
    attended: int
    down_hours: Decimal = Decimal(0)  # open hours the instrument was down

    @property
    def available_hours(self) -> Decimal:
        return self.open_hours - self.down_hours

    @property
    def percent(self) -> Decimal | None:
        """Booked hours as a share of the available ones."""
        if not self.available_hours:
            return None
        return (self.booked_hours * 100 / self.available_hours).quantize(Decimal("0.1"))

    @property
    def uptime(self) -> Decimal | None:
        """The share of its open hours the instrument was not down."""
        if not self.open_hours:
            return None
        return (self.available_hours * 100 / self.open_hours).quantize(Decimal("0.1"))

    @property
    def no_show_percent(self) -> Decimal | None:
        finished = self.no_shows + self.attended
        return (
            None
            if not finished
            else Decimal(self.no_shows * 100 / finished).quantize(Decimal("0.1"))
        )


def local_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, ...]:
    """Local midnight before `first` and after `last`, in UTC (so that their difference is
    the time that passes)."""
    zone = facility_zone()
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time(0), tzinfo=zone
    )
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)


def open_hours(
    first: datetime.date, last: datetime.date, hours: dict[int, list]
) -> dict[int, Decimal]:
    """Open hours of each resource over the days, from its weekly hours (`hours`, from
    weekly_hours(); a resource without any is always open, and is left out here)."""
    weekdays = Counter(
        (first + datetime.timedelta(days=n)).weekday() for n in range((last - first).days + 1)
    )
    per_resource: dict[int, Decimal] = defaultdict(Decimal)
    for resource_id, intervals in hours.items():
        for weekday, opens, closes in intervals:
            minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
            per_resource[resource_id] += Decimal(minutes * weekdays[weekday]) / 60
    return per_resource


def down_hours(
    start: datetime.datetime, end: datetime.datetime, hours: dict[int, list]
) -> dict[int, Decimal]:
    """Open hours within [start, end) that each resource was down (by resource id), from its
    weekly hours (`hours`; none: always open)."""
    zone = facility_zone()
    found = {}
    for resource_id, outages in outages_within(start, end).items():
        seconds = sum(
            (b - a).total_seconds()
            for s, e in outages
            for a, b in opening_intervals(hours.get(resource_id, []), s, e, zone)
        )
        found[resource_id] = (Decimal(seconds) / HOUR).quantize(Decimal("0.1"))
    return found


def weekly_hours() -> dict[int, list]:
    """Each resource's opening intervals (weekday, opens, closes), by resource id."""
    hours: dict[int, list] = defaultdict(list)
    for resource_id, *interval in OpeningHours.objects.values_list(
        "resource_id", "weekday", "opens", "closes"
    ):
        hours[resource_id].append(tuple(interval))
    return hours


def utilisation(first: datetime.date, last: datetime.date) -> list[Utilisation]:
    start, end = local_bounds(first, last)
    length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    held = (
        Booking.objects.filter(start__gte=start, start__lt=end, status__in=HELD)
        .values("resource_id")
        .annotate(
            booked=Sum(length),
            no_shows=Count("pk", filter=Q(status=Booking.Status.NO_SHOW)),
            attended=Count("pk", filter=Q(status=Booking.Status.COMPLETED)),
        )
    )
    figures = {row["resource_id"]: row for row in held}
    weekly = weekly_hours()
    hours = open_hours(first, last, weekly)
    down = down_hours(start, end, weekly)
    # Hours that pass, not days × 24: a month with a clock change has one more or one less.
    always = Decimal((end - start) / datetime.timedelta(hours=1))
    rows = []
    for resource in Resource.objects.filter(is_active=True).order_by("name"):
        row = figures.get(resource.pk, {})
        booked = row.get("booked") or datetime.timedelta(0)
        rows.append(
            Utilisation(
                resource=resource.name,
                booked_hours=(Decimal(booked.total_seconds()) / HOUR).quantize(Decimal("0.1")),
                open_hours=hours.get(resource.pk, always),
                no_shows=row.get("no_shows", 0),
                attended=row.get("attended", 0),
                down_hours=down.get(resource.pk, Decimal(0)),
            )
        )
    return sorted(rows, key=lambda row: -(row.percent or 0))


def hours_by(field: str, label: str, first: datetime.date, last: datetime.date) -> list[dict]:
    """Billed hours and amounts grouped by a usage record field (e.g. department__name)."""
    start, end = local_bounds(first, last)
    rows = (
        UsageRecord.objects.filter(start__gte=start, start__lt=end)
        .values(field)
        .annotate(hours=Sum("hours"), amount=Sum("amount"), lines=Count("pk"))
        .order_by("-hours")
    )
    return [
        {
            "label": row[field],
            "hours": row["hours"] or Decimal(0),
            "amount": row["amount"],
            "lines": row["lines"],
        }
        for row in rows
    ]


def monthly_trend(last_month: datetime.date, months: int = 12) -> list[dict]:
    """Billed hours and amount per month, oldest first, ending with `last_month`'s month."""
    firsts = []
    day = last_month.replace(day=1)
    for _ in range(months):
        firsts.append(day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    firsts.reverse()
    rows = (
        UsageRecord.objects.filter(period__starts_on__in=firsts)
        .values("period__starts_on")
        .annotate(
            hours=Sum("hours"),
            amount=Sum("amount"),
            no_shows=Count("pk", filter=Q(kind=UsageRecord.Kind.NO_SHOW)),
        )
    )
    found = {row["period__starts_on"]: row for row in rows}
    return [
        {
            "month": first,
            "hours": (found.get(first) or {}).get("hours") or Decimal(0),
            "amount": (found.get(first) or {}).get("amount") or Decimal(0),
        }
        for first in firsts
    ]
