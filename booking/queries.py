"""Reads of booking state: what holds a resource, what is blocked, what is free."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, prefetch_related_objects
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from labitory.clock import facility_zone
from people.models import User

from .calendar import Interval, merge, opening_intervals, saturated, subtract, taken
from .models import (
    Booking,
    Closure,
    MaintenanceWindow,
    OpeningHours,
    Outage,
    PolicyAcceptance,
    Qualification,
    Quota,
    RequiredPolicy,
    Resource,
    WaitlistEntry,
)


def holding_bookings(
    resource: Resource | Sequence[Resource],
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_id: int | None = None,
    among: QuerySet[Booking] | None = None,
) -> QuerySet[Booking]:
    """Bookings (of `among`, by default all) that occupy the resource (or one of the
    resources) at some moment of [start, end)."""
    scope = {"resource": resource} if isinstance(resource, Resource) else {"resource__in": resource}
    bookings = (Booking.objects.all() if among is None else among).filter(
        **scope, status__in=Booking.HOLDING, start__lt=end, end__gt=start
    )
    return bookings.exclude(pk=exclude_id) if exclude_id else bookings


# Written out: every booking reads it, and compiling the queryset cost more than running it.
OPENING_HOURS_SQL = """
SELECT id, weekday, opens, closes FROM booking_openinghours WHERE resource_id = %s
 ORDER BY weekday, opens
"""


def opening_hours_of(resource: Resource) -> list[tuple[int, datetime.time, datetime.time]]:
    rows = OpeningHours.objects.raw(OPENING_HOURS_SQL, [resource.pk])
    return [(row.weekday, row.opens, row.closes) for row in rows]


class Holder(NamedTuple):
    """A slot-holding booking, as the rules and the calendar read it (not a model instance:
    building those cost more than the rules themselves on a busy calendar)."""

    id: int
    start: datetime.datetime
    end: datetime.datetime
    user_id: int
    status: str


class Block(NamedTuple):
    """A closure, maintenance window or outage: its interval and "Closed: reason",
    "Maintenance: …" or "Down: …"."""

    interval: Interval
    label: str


class Offer(NamedTuple):
    """A waiting-list offer over the time: whose, and until when (None: not yet sent)."""

    user_id: int
    until: datetime.datetime | None


def _blocked(kind: str, start: datetime.datetime, end: datetime.datetime, reason: str) -> Block:
    return Block((start, end), f"{kind}: {reason}")


@dataclass(frozen=True)
class Surroundings:
    """What is on a resource's calendar around a proposed booking.

    `bookings`: the slot holders within the turnaround buffer of it;
    `blocked`: closures, maintenance and outages over it;
    `offers`: waiting-list offers over it, open or lapsed.
    """

    bookings: list[Holder]
    blocked: list[Block]
    offers: list[Offer]


# Each part of the UNION selects (kind, resource id, lab id, booking id, start, end, user id,
# offer expiry, text: a booking's status or a block's reason), NULL where its table has none
# (typed: PostgreSQL must know the type of those NULLs); a lab-wide closure has a lab and no
# resource.
# Every booking checks its surroundings, so their UNION is written out once rather than built
# and compiled by the ORM on each call (that cost a quarter of a booking's CPU time). Values
# go through the backend's own adapters, so SQLite and PostgreSQL read the same SQL.
HOLDING = ", ".join(f"%(holding{n})s" for n in range(len(Booking.HOLDING)))
NO_ID, NO_TIME = "CAST(NULL AS INTEGER)", "CAST(NULL AS TIMESTAMP)"
SURROUNDINGS_SQL = f"""
    SELECT 'booking', resource_id, {NO_ID}, id, start, "end", user_id, {NO_TIME}, status
      FROM {Booking._meta.db_table}
     WHERE resource_id IN ({{resources}}) AND status IN ({HOLDING})
       AND start < %(hold_end)s AND "end" > %(hold_start)s AND id <> %(exclude)s
    UNION ALL
    SELECT 'Closed', resource_id, lab_id, {NO_ID}, starts_at, ends_at, {NO_ID}, {NO_TIME}, reason
      FROM {Closure._meta.db_table}
     WHERE (resource_id IN ({{resources}}) OR (lab_id IN ({{labs}}) AND resource_id IS NULL))
       AND starts_at < %(end)s AND ends_at > %(start)s
    UNION ALL
    SELECT 'Maintenance', resource_id, {NO_ID}, {NO_ID}, starts_at, ends_at, {NO_ID}, {NO_TIME},
           reason
      FROM {MaintenanceWindow._meta.db_table}
     WHERE resource_id IN ({{resources}}) AND starts_at < %(end)s AND ends_at > %(start)s
    UNION ALL
    SELECT 'Down', resource_id, {NO_ID}, {NO_ID}, starts_at, ends_at, {NO_ID}, {NO_TIME}, reason
      FROM {Outage._meta.db_table}
     WHERE resource_id IN ({{resources}}) AND starts_at < %(end)s AND ends_at > %(start)s
    UNION ALL
    SELECT 'offer', resource_id, {NO_ID}, {NO_ID}, start, "end", user_id, offer_expires_at, ''
      FROM {WaitlistEntry._meta.db_table}
     WHERE resource_id IN ({{resources}}) AND status = %(offered)s
       AND start < %(end)s AND "end" > %(start)s
"""


def _moment(value: str | datetime.datetime) -> datetime.datetime:
    """A timestamp as the backend returned it (SQLite: text in UTC), as an aware datetime."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        raise ValueError(f"Not a timestamp: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def surroundings(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> Surroundings:
    """Holding bookings, closures, maintenance and waiting-list offers around [start, end).

    One UNION rather than a query each, since the booking rules need all of them every time.
    """
    return surroundings_of([resource], start, end, exclude_id=exclude_id)[resource.pk]


def surroundings_of(
    resources: Sequence[Resource],
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    exclude_id: int | None = None,
) -> dict[int, Surroundings]:
    """surroundings() of each resource (by id) for one window, all read by one query."""
    buffer = datetime.timedelta(minutes=max(resource.buffer for resource in resources))
    moment = connection.ops.adapt_datetimefield_value
    ids = {f"resource{n}": resource.pk for n, resource in enumerate(resources)}
    labs = {f"lab{n}": lab for n, lab in enumerate({r.lab_id for r in resources})}
    params = {
        **ids,
        **labs,
        **{f"holding{n}": status for n, status in enumerate(Booking.HOLDING)},
        "offered": WaitlistEntry.Status.OFFERED,
        "exclude": exclude_id or 0,
        "start": moment(start),
        "end": moment(end),
        "hold_start": moment(start - buffer),
        "hold_end": moment(end + buffer),
    }
    sql = SURROUNDINGS_SQL.format(
        resources=", ".join(f"%({name})s" for name in ids),
        labs=", ".join(f"%({name})s" for name in labs),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _sorted_out(resources, rows, start, end)


def _sorted_out(
    resources: Sequence[Resource], rows: list[tuple], start, end
) -> dict[int, Surroundings]:
    """The UNION's rows, each given to the resources it concerns (a lab-wide closure to every
    resource of the lab; a booking only within that resource's own buffer)."""
    found = {r.pk: Surroundings(bookings=[], blocked=[], offers=[]) for r in resources}
    by_id = {r.pk: r for r in resources}
    for kind, resource_id, lab_id, pk, s, e, user_id, until, text in rows:
        s, e = _moment(s), _moment(e)
        if kind == "booking":
            buffer = datetime.timedelta(minutes=by_id[resource_id].buffer)
            if s < end + buffer and e > start - buffer:
                found[resource_id].bookings.append(Holder(pk, s, e, user_id, text))
        elif kind == "offer":
            found[resource_id].offers.append(Offer(user_id, until and _moment(until)))
        else:
            concerned = (
                [resource_id] if resource_id else [r.pk for r in resources if r.lab_id == lab_id]
            )
            for each in concerned:
                found[each].blocked.append(_blocked(kind, s, e, text))
    return found


def free_intervals(
    resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> list[Interval]:
    """When the resource can be booked within [start, end): open, not blocked, a seat free."""
    open_ = opening_intervals(opening_hours_of(resource), start, end, facility_zone())
    return subtract(open_, _unavailable(resource, surroundings(resource, start, end)))


def _unavailable(resource: Resource, around: Surroundings) -> list[Interval]:
    """Blocked times, and times whose seats are all held (the turnaround buffer included)."""
    held = taken(
        [(holder.start, holder.end) for holder in around.bookings],
        buffer=datetime.timedelta(minutes=resource.buffer),
        capacity=resource.capacity,
    )
    return [block.interval for block in around.blocked] + held


def booked_hours(
    bookings: QuerySet[Booking], start: datetime.datetime, end: datetime.datetime
) -> Decimal:
    """Hours of the bookings starting within [start, end) that hold or used their slot."""
    used = bookings.filter(start__gte=start, start__lt=end, status__in=USED).values_list(
        "start", "end"
    )
    return _hours(used)


# Bookings that count against a quota: those holding their slot or that used it.
USED = (*Booking.HOLDING, Booking.Status.COMPLETED, Booking.Status.NO_SHOW)


def _hours(spans) -> Decimal:
    seconds = sum((e - s).total_seconds() for s, e in spans)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def quota_window(
    period: str, moment: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """The local week (Monday first) or month containing the moment, as aware datetimes."""
    zone = facility_zone()
    day = moment.astimezone(zone).date()
    if period == Quota.Period.WEEK:
        first = day - datetime.timedelta(days=day.weekday())
        after = first + datetime.timedelta(days=7)
    else:
        first = day.replace(day=1)
        after = (first + datetime.timedelta(days=32)).replace(day=1)
    to_aware = lambda d: datetime.datetime.combine(d, datetime.time(), tzinfo=zone)  # noqa: E731
    return to_aware(first), to_aware(after)


def hours_under_user_quotas(
    resources: Sequence[Resource], user: User, moment: datetime.datetime
) -> dict[int, Decimal]:
    """Hours the user has booked under each per-user quota of the resources (by quota id),
    in the quota's period containing `moment`; one query for all of them."""
    prefetch_related_objects(resources, "quotas")
    quotas = [q for r in resources for q in r.quotas.all() if q.scope == Quota.Scope.USER]
    if not quotas:
        return {}
    windows = {quota.pk: quota_window(quota.period, moment) for quota in quotas}
    rows = list(
        Booking.objects.filter(
            resource__in={quota.resource_id for quota in quotas},
            user=user,
            status__in=USED,
            start__gte=min(first for first, _ in windows.values()),
            start__lt=max(after for _, after in windows.values()),
        ).values_list("resource_id", "start", "end")
    )
    return {
        quota.pk: _hours(
            (s, e)
            for resource_id, s, e in rows
            if resource_id == quota.resource_id and windows[quota.pk][0] <= s < windows[quota.pk][1]
        )
        for quota in quotas
    }


@dataclass(frozen=True)
class BusyBlock:
    """Time within a window that a researcher cannot book, labelled for display.

    `kind` is "own" (the viewer's booking), "booked" (someone else's booking), "full" (every
    seat of a shared resource taken), "closed", "maintenance" or "down".
    """

    start: datetime.datetime
    end: datetime.datetime
    kind: str
    label: str
    booking_id: int | None = None
    status: str = ""


def busy_blocks(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    viewer: User | None = None,
) -> list[BusyBlock]:
    """What holds the resource within [start, end), as a researcher may see it, by start.

    Nobody else's name or booking details are included: another person's booking is only
    "Booked" (on a shared resource, only the times when no seat is left). The viewer's own
    bookings are "Your booking"; closures and maintenance carry their reason. One query,
    however many bookings there are.
    """
    around = surroundings(resource, start, end)
    return _blocks(resource, _within(around.bookings, start, end), around.blocked, viewer)


def _within(holders: list[Holder], start, end) -> list[Holder]:
    """The holders of some moment of [start, end) (surroundings() adds the buffer)."""
    return [holder for holder in holders if holder.start < end and holder.end > start]


def _blocks(
    resource: Resource,
    holders: list[Holder],
    blocked: list[Block],
    viewer: User | None,
) -> list[BusyBlock]:
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    blocks = [
        BusyBlock(
            holder.start,
            holder.end,
            "own",
            "Your booking (awaiting approval)"
            if holder.status == Booking.Status.REQUESTED
            else "Your booking",
            holder.id,
            holder.status,
        )
        for holder in holders
        if holder.user_id == viewer_id
    ]
    own = [(block.start, block.end) for block in blocks]
    if resource.capacity == 1:
        others = merge((h.start, h.end) for h in holders if h.user_id != viewer_id)
        blocks += [BusyBlock(s, e, "booked", "Booked") for s, e in others]
    else:
        full = subtract(saturated([(h.start, h.end) for h in holders], resource.capacity), own)
        blocks += [BusyBlock(s, e, "full", "Fully booked") for s, e in full]
    for (s, e), label in blocked:
        blocks.append(BusyBlock(s, e, label.split(":", 1)[0].lower(), label))
    return sorted(blocks, key=lambda block: (block.start, block.end))


@dataclass(frozen=True)
class Calendar:
    free: list[Interval]
    busy: list[BusyBlock]


def calendar(
    resource: Resource,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    viewer: User | None = None,
) -> Calendar:
    """free_intervals() and busy_blocks() of one window, from one read of its surroundings
    and one of the opening hours."""
    around = surroundings(resource, start, end)
    open_ = opening_intervals(opening_hours_of(resource), start, end, facility_zone())
    free = subtract(open_, _unavailable(resource, around))
    inside = _within(around.bookings, start, end)
    return Calendar(free, _blocks(resource, inside, around.blocked, viewer))


# A policy is accepted per published version (revision), in any language: accepting the live
# revision of the required page or of any of its live translations meets the requirement.
# A new revision of the version one accepted asks again.


def _accepted_keys(user: User, keys) -> set:
    """The translation keys of the policies whose live version, in some language, `user`
    has accepted (one query)."""
    return set(
        PolicyAcceptance.objects.filter(
            user=user,
            policy__translation_key__in=list(keys),
            policy__live=True,
            revision_id=F("policy__live_revision_id"),
        ).values_list("policy__translation_key", flat=True)
    )


def unaccepted_policies(resource: Resource, user: User) -> list[Page]:
    """The live policy pages the resource requires whose current version (in any language)
    the user has not accepted, in the resource's order, each in the active language when it
    is translated."""
    required = [
        link.policy
        for link in RequiredPolicy.objects.filter(resource=resource, policy__live=True)
        .select_related("policy")
        .order_by("sort_order", "pk")
    ]
    if not required:
        return []
    accepted = _accepted_keys(user, {page.translation_key for page in required})
    return [page.localized for page in required if page.translation_key not in accepted]


def required_policy_versions(resources: Sequence[Resource]) -> dict[int, list[tuple[str, UUID]]]:
    """(title, translation key) of the live policies each resource (by id) requires, in the
    resource's order."""
    rows = (
        RequiredPolicy.objects.filter(resource__in=resources, policy__live=True)
        .order_by("sort_order", "pk")
        .values_list("resource_id", "policy__title", "policy__translation_key")
    )
    found: dict[int, list[tuple[str, UUID]]] = {}
    for resource_id, title, key in rows:
        found.setdefault(resource_id, []).append((title, key))
    return found


def accepted_policies(user: User, required: list[tuple[str, UUID]]) -> set[UUID]:
    """Which of the required (title, translation key) policies the user has accepted in the
    live version of some language."""
    if not required:
        return set()
    return _accepted_keys(user, {key for _, key in required})


@dataclass(frozen=True)
class Known:
    """What the booking rules read about many resources, for one user and window, read once
    for all of them (rules.Proposal uses it instead of reading resource by resource)."""

    surroundings: dict[int, Surroundings]
    opening_hours: dict[int, list[tuple[int, datetime.time, datetime.time]]]
    qualifications: dict[int, Qualification]
    required_policies: dict[int, list[tuple[str, UUID]]]  # required_policy_versions()
    accepted_policies: set[UUID]  # translation keys (accepted_policies())
    upcoming: dict[int, int]  # the user's holding bookings not yet ended, by resource id
    user_quota_hours: dict[int, Decimal]  # hours_under_user_quotas()
    # Where approval sources keep what they read once per search (a lab's approval rules).
    memo: dict = field(default_factory=dict)


def known_for(
    resources: Sequence[Resource],
    user: User,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
) -> Known:
    """Everything the rules read about these resources for this user and window: a fixed
    handful of queries, however many resources there are."""
    hours: dict[int, list[tuple[int, datetime.time, datetime.time]]] = {}
    rows = OpeningHours.objects.filter(resource__in=resources).order_by("weekday", "opens")
    for resource_id, weekday, opens, closes in rows.values_list(
        "resource_id", "weekday", "opens", "closes"
    ):
        hours.setdefault(resource_id, []).append((weekday, opens, closes))
    required = required_policy_versions(resources)
    upcoming = (
        Booking.objects.filter(
            resource__in=resources, user=user, status__in=Booking.HOLDING, end__gt=now
        )
        .values("resource_id")
        .annotate(n=Count("pk"))
        .values_list("resource_id", "n")
    )
    return Known(
        surroundings=surroundings_of(resources, start, end),
        opening_hours=hours,
        qualifications={
            q.resource_id: q
            for q in Qualification.objects.filter(resource__in=resources, user=user)
        },
        required_policies=required,
        accepted_policies=accepted_policies(user, [v for vs in required.values() for v in vs]),
        upcoming=dict(upcoming),
        user_quota_hours=hours_under_user_quotas(resources, user, start),
    )


def qualification_of(resource: Resource, user: User) -> Qualification | None:
    return Qualification.objects.filter(resource=resource, user=user).first()


def upcoming_of(
    user: User,
    *,
    now: datetime.datetime,
    status: str = "",
    resource_id: int | None = None,
) -> QuerySet[Booking]:
    """A user's bookings still holding time to come (requested, confirmed, checked in), soonest
    first: My bookings' agenda. Cancelled, declined and finished ones are never here."""
    bookings = Booking.objects.filter(user=user, status__in=Booking.HOLDING, end__gt=now)
    if status:
        bookings = bookings.filter(status=status)
    if resource_id:
        bookings = bookings.filter(resource_id=resource_id)
    return bookings.select_related("resource", "project").order_by("start", "pk")


def finished_of(
    user: User,
    *,
    now: datetime.datetime,
    status: str = "",
    resource_id: int | None = None,
) -> QuerySet[Booking]:
    """A user's past, cancelled and declined bookings, latest first: everything not upcoming."""
    bookings = (
        Booking.objects.filter(user=user)
        .filter(Q(end__lte=now) | ~Q(status__in=Booking.HOLDING))
        .select_related("resource", "project")
    )
    if status:
        bookings = bookings.filter(status=status)
    if resource_id:
        bookings = bookings.filter(resource_id=resource_id)
    return bookings.order_by("-start", "-pk")


CALLED_OFF = (Booking.Status.CANCELLED, Booking.Status.REJECTED, Booking.Status.EXPIRED)


def days_booked(
    user: User, start: datetime.datetime, end: datetime.datetime, zone: datetime.tzinfo
) -> dict[datetime.date, int]:
    """How many of a user's bookings (not called off) start on each local day in [start, end)."""
    starts = (
        Booking.objects.filter(user=user, start__gte=start, start__lt=end)
        .exclude(status__in=CALLED_OFF)
        .values_list("start", flat=True)
    )
    counts: dict[datetime.date, int] = {}
    for moment in starts:
        day = moment.astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return counts


def bookings_starting(
    user: User, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Booking]:
    """A user's bookings of every status starting in [start, end): one day of the month view."""
    return (
        Booking.objects.filter(user=user, start__gte=start, start__lt=end)
        .select_related("resource", "project")
        .order_by("start", "pk")
    )


def waiting_entries_of(user: User, *, now: datetime.datetime) -> QuerySet[WaitlistEntry]:
    """A user's places on waiting lists for times still to come: waiting or offered."""
    return (
        WaitlistEntry.objects.filter(
            user=user,
            status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED],
            end__gt=now,
        )
        .select_related("resource", "project")
        .order_by("start", "pk")
    )


def booked_by(
    resource: Resource, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Booking]:
    """The bookings holding the resource within [start, end), with their bookers, by start:
    for staff, who see who holds their labs' resources."""
    return holding_bookings(resource, start, end).select_related("user").order_by("start", "pk")


def in_outage(booking: Booking) -> bool:
    """Whether the resource was down at some moment of the booking: a booker cannot be
    charged for missing, or cancelling, time the instrument did not work."""
    return Outage.objects.filter(
        resource_id=booking.resource_id, starts_at__lt=booking.end, ends_at__gt=booking.start
    ).exists()


def outages_within(start: datetime.datetime, end: datetime.datetime) -> dict[int, list[Interval]]:
    """Each resource's outages (by resource id), clipped to [start, end)."""
    found: dict[int, list[Interval]] = {}
    rows = Outage.objects.filter(starts_at__lt=end, ends_at__gt=start).values_list(
        "resource_id", "starts_at", "ends_at"
    )
    for resource_id, starts_at, ends_at in rows:
        found.setdefault(resource_id, []).append((max(starts_at, start), min(ends_at, end)))
    return {resource_id: merge(intervals) for resource_id, intervals in found.items()}
