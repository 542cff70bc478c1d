"""Bookings as RFC 5545 calendars: subscribable feeds and one booking's .ics file.

Times are written in the facility's zone (DTSTART;TZID=...) with a VTIMEZONE for it, so a
calendar shows the right local time on both sides of a DST change. Each booking keeps one
UID for life; its SEQUENCE counts the changes logged since it was made.

Both kinds say when the instrument is down or limited: a resource feed carries each outage as
an event ("Down: …"), and a booking's description carries the resource's status while it is
not up.

A resource feed shows who booked and for which project only when the feed's owner may see
that (booking.permissions.can_see_booker_names: the resource's lab coordinators and site
admins, the same rule as the API); everyone else gets "Booked" blocks. The secret URL stands
for its owner, so the rule is asked again at every fetch: an owner who loses the role loses
the names with the next refresh.

`feed_version` answers whether a feed changed without writing it: a digest of every value
the feed is written from (its bookings' times, states, names and change counts, the
maintenance windows, the viewer's right to see names, the zone), read with the same queries
in one or two round trips, for the feed's ETag. Only DTSTAMP, the moment of writing, is left
out, so a client whose copy differs in nothing else gets a 304.
"""

import datetime
import hashlib
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import CharField, Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from booking.models import Booking, CalendarFeed, MaintenanceWindow, Outage, Resource
from booking.permissions import can_see_booker_names
from labitory.clock import facility_zone
from labitory.dates import day_month
from labitory.i18n import language_of
from people.models import User

PRODID = "-//Labitory//Bookings//EN"
DOMAIN = "labitory"
PAST = datetime.timedelta(days=90)
REFRESH = datetime.timedelta(minutes=15)

Status = Booking.Status
PERSONAL_STATUSES = (*Booking.HOLDING, Status.COMPLETED, Status.NO_SHOW)
BUSY_STATUSES = (*Booking.HOLDING, Status.COMPLETED)
ICS_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.CHECKED_IN: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.NO_SHOW: "CONFIRMED",
    Status.REJECTED: "CANCELLED",
    Status.CANCELLED: "CANCELLED",
    Status.EXPIRED: "CANCELLED",
}


def booking_uid(booking_id: int) -> str:
    return f"booking-{booking_id}@{DOMAIN}"


def sequences(booking_ids: Iterable[int]) -> dict[int, int]:
    """Each booking's SEQUENCE: how many logged changes followed its creation (one query)."""
    rows = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking),
            object_id__in=[str(pk) for pk in booking_ids],
        )
        .order_by()
        .values("object_id")
        .annotate(entries=Count("pk"))
    )
    return {int(row["object_id"]): max(row["entries"] - 1, 0) for row in rows}


def _calendar(name: str, uid: str, zone: zoneinfo.ZoneInfo) -> icalendar.Calendar:
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        calscale="GREGORIAN",
        name=name,
        uid=uid,
        refresh_interval=REFRESH,
    )
    calendar.add("X-WR-TIMEZONE", zone.key)
    calendar.add("X-PUBLISHED-TTL", REFRESH)
    return calendar


def _finish(calendar: icalendar.Calendar, zone: zoneinfo.ZoneInfo, now: datetime.datetime) -> bytes:
    """Add the zone's VTIMEZONE, covering whole years around every event, and serialise."""
    moments = [now] + [e.start for e in calendar.events] + [e.end for e in calendar.events]
    years = [moment.astimezone(zone).year for moment in moments]
    calendar.subcomponents.insert(
        0,
        icalendar.Timezone.from_tzinfo(
            zone,
            tzid=zone.key,
            first_date=datetime.date(min(years), 1, 1),
            last_date=datetime.date(max(years) + 1, 1, 1),
        ),
    )
    return calendar.to_ical()


def _event(
    *,
    uid: str,
    start: datetime.datetime,
    end: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    stamp: datetime.datetime,
    summary: str,
    location: str,
    status: str = "CONFIRMED",
    sequence: int = 0,
    description: str | None = None,
) -> icalendar.Event:
    return icalendar.Event.new(
        uid=uid,
        start=start.astimezone(zone),
        end=end.astimezone(zone),
        stamp=stamp.astimezone(datetime.UTC),
        summary=summary,
        location=location,
        status=status,
        sequence=sequence,
        description=description,
        transparency="OPAQUE",
    )


def _personal_event(
    booking: Booking, *, zone: zoneinfo.ZoneInfo, stamp: datetime.datetime, sequence: int
) -> icalendar.Event:
    """The booker's own view: what, where, which project, and the booking's state."""
    summary = booking.resource.name
    if booking.status == Status.REQUESTED:
        summary = _("%(resource)s (awaiting approval)") % {"resource": summary}
    return _event(
        uid=booking_uid(booking.pk),
        start=booking.start,
        end=booking.end,
        zone=zone,
        stamp=stamp,
        summary=summary,
        location=f"{booking.resource.name}, {booking.resource.lab.name}",
        status=ICS_STATUS[booking.status],
        sequence=sequence,
        description=_("%(status)s · project %(project)s")
        % {"status": booking.get_status_display(), "project": booking.project.code}
        + status_line(booking.resource),
    )


def _personal_bookings(owner: User, now: datetime.datetime):
    return Booking.objects.filter(
        user=owner, status__in=PERSONAL_STATUSES, end__gte=now - PAST
    ).order_by("start", "pk")


def _resource_bookings(resource: Resource, now: datetime.datetime):
    return Booking.objects.filter(
        resource=resource, status__in=BUSY_STATUSES, end__gte=now - PAST
    ).order_by("start", "pk")


def _maintenance(resource: Resource, now: datetime.datetime):
    return MaintenanceWindow.objects.filter(resource=resource, ends_at__gte=now - PAST).order_by(
        "starts_at"
    )


def _outages(resource: Resource, now: datetime.datetime):
    return Outage.objects.filter(resource=resource, ends_at__gte=now - PAST).order_by("starts_at")


def status_line(resource: Resource) -> str:
    """The resource's status for an event's description, when it is not up."""
    if resource.status == Resource.Status.UP:
        return ""
    if resource.status == Resource.Status.DOWN and resource.expected_back:
        back = resource.expected_back.astimezone(facility_zone())
        line = _("Instrument down until %(time)s on %(date)s") % {
            "time": f"{back:%H:%M}",
            "date": day_month(back),
        }
    elif resource.status == Resource.Status.DOWN:
        line = _("Instrument down")
    else:
        line = _("Instrument limited")
    return "\n" + line + (f": {resource.status_note}" if resource.status_note else "")


def personal_feed(owner: User, *, now: datetime.datetime) -> bytes:
    """The owner's bookings that hold a slot or ended in the last 90 days."""
    zone = facility_zone()
    bookings = list(_personal_bookings(owner, now).select_related("resource__lab", "project"))
    changes = sequences(b.pk for b in bookings)
    calendar = _calendar(
        _("My bookings · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
        f"feed-user-{owner.pk}@{DOMAIN}",
        zone,
    )
    for booking in bookings:
        calendar.add_component(
            _personal_event(booking, zone=zone, stamp=now, sequence=changes.get(booking.pk, 0))
        )
    return _finish(calendar, zone, now)


def resource_feed(resource: Resource, *, viewer: User, now: datetime.datetime) -> bytes:
    """The resource's busy times, maintenance and outages; who booked, and the project, only
    when the viewer may see them."""
    zone = facility_zone()
    named = can_see_booker_names(viewer, resource)
    bookings = _resource_bookings(resource, now)
    if named:
        bookings = bookings.select_related("user", "project")
    bookings = list(bookings)
    changes = sequences(b.pk for b in bookings)
    location = f"{resource.name}, {resource.lab.name}"
    calendar = _calendar(
        f"{resource.name} · {settings.WAGTAIL_SITE_NAME}",
        f"feed-resource-{resource.pk}@{DOMAIN}",
        zone,
    )
    for booking in bookings:
        calendar.add_component(
            _event(
                uid=booking_uid(booking.pk),
                start=booking.start,
                end=booking.end,
                zone=zone,
                stamp=now,
                summary=f"{booking.user.name} · {booking.project.code}" if named else _("Booked"),
                location=location,
                status=ICS_STATUS[booking.status],
                sequence=changes.get(booking.pk, 0),
            )
        )
    # Time the resource is out of use: (uid prefix, summary prefix, its windows).
    unavailable = (
        ("maintenance", _("Maintenance"), _maintenance(resource, now)),
        ("outage", _("Down"), _outages(resource, now)),
    )
    for kind, label, windows in unavailable:
        for window in windows:
            calendar.add_component(
                _event(
                    uid=f"{kind}-{window.pk}@{DOMAIN}",
                    start=window.starts_at,
                    end=window.ends_at,
                    zone=zone,
                    stamp=now,
                    summary=f"{label}: {window.reason}",
                    location=location,
                )
            )
    return _finish(calendar, zone, now)


def feed_ics(feed: CalendarFeed, *, now: datetime.datetime | None = None) -> bytes:
    """The calendar a feed URL serves, as of `now`, in its owner's language (a calendar app
    fetching it carries no cookie and no account)."""
    now = now or timezone.now()
    with translation.override(language_of(feed.owner)):
        if feed.kind == CalendarFeed.Kind.RESOURCE:
            return resource_feed(feed.resource, viewer=feed.owner, now=now)
        return personal_feed(feed.owner, now=now)


def _logged_changes() -> Coalesce:
    """Per booking: how many log entries it has, which SEQUENCE counts."""
    entries = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking),
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        .order_by()
        .values("object_id")
        .annotate(entries=Count("pk"))
        .values("entries")
    )
    return Coalesce(Subquery(entries), 0)


def _digest(rows: QuerySet) -> str:
    """A digest of the rows a values_list() reads; on PostgreSQL taken by the database, so
    the rows never travel."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r::text)) FROM ({sql}) r",
            params,
        )
        return repr(cursor.fetchone())


def feed_version(feed: CalendarFeed, *, now: datetime.datetime | None = None) -> str:
    """A digest of what `feed_ics(feed, now=now)` is written from, DTSTAMP aside."""
    now = now or timezone.now()
    zone = facility_zone()
    parts: list = [feed.kind, zone.key, settings.WAGTAIL_SITE_NAME, now.astimezone(zone).year]
    parts.append(language_of(feed.owner))  # the feed is written in it
    if feed.kind == CalendarFeed.Kind.RESOURCE:
        resource = feed.resource
        named = can_see_booker_names(feed.owner, resource)
        bookings = _resource_bookings(resource, now)
        fields = ["pk", "start", "end", "status"]
        if named:
            fields += ["user__first_name", "user__last_name", "user__email", "project__code"]
        windows = _maintenance(resource, now).values_list("pk", "starts_at", "ends_at", "reason")
        outages = _outages(resource, now).values_list("pk", "starts_at", "ends_at", "reason")
        parts += [resource.pk, resource.name, resource.lab.name, named]
        parts += [_digest(windows), _digest(outages)]
    else:
        bookings = _personal_bookings(feed.owner, now)
        fields = ["pk", "start", "end", "status", "project__code"]
        fields += ["resource__name", "resource__lab__name"]
        # Each event's description carries its instrument's status (status_line).
        fields += ["resource__status", "resource__status_note", "resource__expected_back"]
    rows = bookings.annotate(changes=_logged_changes()).values_list(*fields, "changes")
    parts.append(_digest(rows))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def booking_ics(
    booking: Booking, *, now: datetime.datetime | None = None, sequence: int | None = None
) -> bytes:
    """One booking as a calendar file, e.g. attached to its confirmation or cancellation.

    Pass `sequence` when it is already known, to save reading the booking's log again."""
    now = now or timezone.now()
    zone = facility_zone()
    calendar = _calendar(booking.resource.name, f"file-{booking_uid(booking.pk)}", zone)
    if sequence is None:
        sequence = sequences([booking.pk]).get(booking.pk, 0)
    calendar.add_component(_personal_event(booking, zone=zone, stamp=now, sequence=sequence))
    return _finish(calendar, zone, now)
