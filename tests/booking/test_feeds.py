"""Calendar feeds: issuing tokens, valid RFC 5545 with time zones, privacy, and the URLs."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking import ics
from booking.models import Booking, CalendarFeed
from booking.permissions import can_see_booker_names
from booking.services import (
    cancel_booking,
    check_in,
    issue_feed,
    request_booking,
    schedule_maintenance,
)
from people.models import User
from people.roles import Role
from tests.booking.conftest import NOW, at
from tests.factories import PASSWORD, LabFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
Kind = CalendarFeed.Kind


def book(resource, user, project, start, end, now=NOW) -> Booking:
    return request_booking(
        user=user, resource=resource, project=project, start=start, end=end, now=now
    )


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events_by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse(data).events}


def elapsed(event: icalendar.Event) -> datetime.timedelta:
    """Real time between start and end (a plain subtraction in one zone ignores DST)."""
    return event.end.astimezone(datetime.UTC) - event.start.astimezone(datetime.UTC)


@pytest.fixture
def rival(db):
    user = UserFactory(email="rex.rival@example.org", first_name="Rex", last_name="Rival")
    return user, ProjectFactory(code="CHEM-7", members=[user])


# Issuing.


def test_issuing_a_feed_stores_only_a_hash_of_its_token(booker):
    feed, token = issue_feed(owner=booker, kind=Kind.PERSONAL)

    assert feed.token_hash == CalendarFeed.hash_token(token)
    assert token not in feed.token_hash
    assert len(token) >= 40


def test_regenerating_replaces_the_token_of_the_same_feed(booker):
    first, old = issue_feed(owner=booker, kind=Kind.PERSONAL)
    second, new = issue_feed(owner=booker, kind=Kind.PERSONAL)

    assert second.pk == first.pk and new != old
    assert CalendarFeed.objects.get().token_hash == CalendarFeed.hash_token(new)


def test_one_user_has_a_personal_feed_and_one_per_resource(booker, instrument):
    issue_feed(owner=booker, kind=Kind.PERSONAL)
    issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)
    issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)

    assert CalendarFeed.objects.filter(owner=booker).count() == 2


def test_issuing_is_logged(booker):
    feed, _ = issue_feed(owner=booker, kind=Kind.PERSONAL)

    assert ModelLogEntry.objects.filter(
        object_id=str(feed.pk), action="booking.feed.issued", user=booker
    ).exists()


@pytest.mark.parametrize(
    ("kind", "with_resource"), [(Kind.PERSONAL, True), (Kind.RESOURCE, False), ("team", False)]
)
def test_a_feed_of_the_wrong_shape_is_refused(booker, instrument, kind, with_resource):
    with pytest.raises(ValueError):
        issue_feed(owner=booker, kind=kind, resource=instrument if with_resource else None)
    assert not CalendarFeed.objects.exists()


# The personal feed.


def test_the_personal_feed_is_valid_icalendar_with_the_facility_time_zone(
    instrument, booker, project
):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11, 30))

    data = ics.personal_feed(booker, now=NOW)

    calendar = parse(data)
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/London"]
    assert b"DTSTART;TZID=Europe/London:20300305T100000" in data
    assert b"DTEND;TZID=Europe/London:20300305T113000" in data
    event = events_by_uid(data)[f"booking-{booking.pk}@labitory"]
    assert event.start == at(1, 10) and event.end == at(1, 11, 30)
    assert str(event["SUMMARY"]) == "Confocal LSM 980"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert instrument.lab.name in str(event["LOCATION"])
    assert "BIO-2041" in str(event["DESCRIPTION"])
    assert event["DTSTAMP"].dt == NOW
    assert event["SEQUENCE"] == 0


def test_times_stay_right_across_the_spring_dst_change(instrument, booker, project):
    # 31 March 2030: London clocks go from 01:00 GMT to 02:00 BST.
    overnight = book(
        instrument,
        booker,
        project,
        datetime.datetime(2030, 3, 31, 0, 30, tzinfo=LONDON),
        datetime.datetime(2030, 3, 31, 3, 0, tzinfo=LONDON),
    )

    data = ics.personal_feed(booker, now=NOW)

    assert b"DTSTART;TZID=Europe/London:20300331T003000" in data
    assert b"DTEND;TZID=Europe/London:20300331T030000" in data
    event = events_by_uid(data)[f"booking-{overnight.pk}@labitory"]
    assert elapsed(event) == datetime.timedelta(hours=1, minutes=30)
    assert event.start == overnight.start and event.end == overnight.end
    assert b"TZOFFSETTO:+0100" in data and b"TZNAME:BST" in data


def test_times_stay_right_across_the_autumn_dst_change(instrument, booker, project):
    # 27 October 2030: London clocks go from 02:00 BST back to 01:00 GMT.
    autumn_now = datetime.datetime(2030, 10, 20, 9, 0, tzinfo=LONDON)
    overnight = book(
        instrument,
        booker,
        project,
        datetime.datetime(2030, 10, 27, 0, 30, tzinfo=LONDON),
        datetime.datetime(2030, 10, 27, 3, 0, tzinfo=LONDON),
        now=autumn_now,
    )

    data = ics.personal_feed(booker, now=autumn_now)

    event = events_by_uid(data)[f"booking-{overnight.pk}@labitory"]
    assert elapsed(event) == datetime.timedelta(hours=3, minutes=30)
    assert event.start.astimezone(datetime.UTC) == datetime.datetime(
        2030, 10, 26, 23, 30, tzinfo=datetime.UTC
    )


def test_the_personal_feed_has_only_the_owners_current_and_recent_bookings(
    instrument, booker, project, rival
):
    mine = book(instrument, booker, project, at(1, 10), at(1, 11))
    requested = book(instrument, booker, project, at(2, 10), at(2, 11))
    Booking.objects.filter(pk=requested.pk).update(status=Booking.Status.REQUESTED)
    cancelled = book(instrument, booker, project, at(3, 10), at(3, 11))
    cancel_booking(booking=cancelled, by=booker, now=NOW)
    theirs = book(instrument, *rival, at(1, 12), at(1, 13))

    uids = events_by_uid(ics.personal_feed(booker, now=NOW))

    assert set(uids) == {f"booking-{mine.pk}@labitory", f"booking-{requested.pk}@labitory"}
    tentative = uids[f"booking-{requested.pk}@labitory"]
    assert str(tentative["STATUS"]) == "TENTATIVE"
    assert "awaiting approval" in str(tentative["SUMMARY"])
    assert f"booking-{theirs.pk}@labitory" not in uids


def test_bookings_older_than_ninety_days_leave_the_personal_feed(instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    check_in(booking=booking, by=booker, now=at(1, 10))

    recent = ics.personal_feed(booker, now=at(80, 12))
    old = ics.personal_feed(booker, now=at(92, 12))

    assert f"booking-{booking.pk}@labitory" in events_by_uid(recent)
    assert events_by_uid(old) == {}
    assert parse(old).timezones


def test_a_change_raises_the_sequence_and_keeps_the_uid(instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    check_in(booking=booking, by=booker, now=at(1, 10))

    event = events_by_uid(ics.personal_feed(booker, now=NOW))[f"booking-{booking.pk}@labitory"]

    assert event["SEQUENCE"] == 1


# The resource feed.


def test_a_researchers_resource_feed_shows_busy_times_without_names(
    instrument, booker, project, rival
):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    book(instrument, *rival, at(1, 12), at(1, 13))
    viewer = UserFactory(roles=[Role.RESEARCHER])

    data = ics.resource_feed(instrument, viewer=viewer, now=NOW)

    events = list(parse(data).events)
    assert [str(event["SUMMARY"]) for event in events] == ["Booked", "Booked"]
    for personal in (b"Bea", b"booker", b"Rex", b"Rival", b"BIO-2041", b"CHEM-7", b"@example"):
        assert personal not in data
    assert "DESCRIPTION" not in events[0]


def coordinator_of(lab) -> User:
    """A coordinator of `lab`: the role, and the lab's coordinators group."""
    if lab.coordinators is None:
        lab.coordinators = Group.objects.create(name=f"Lab coordinators · {lab.name}")
        lab.save(update_fields=["coordinators"])
    user = UserFactory(roles=[Role.COORDINATOR])
    user.groups.add(lab.coordinators)
    return user


# Who may see who booked, and for which project: the resource's lab coordinators and site
# admins (booking.permissions.can_see_booker_names, the API's rule too).
VIEWERS = {
    "the lab's coordinator": (lambda resource: coordinator_of(resource.lab), True),
    "a site admin": (lambda resource: UserFactory(roles=[Role.SITE_ADMIN]), True),
    "a superuser": (lambda resource: UserFactory(is_superuser=True), True),
    "another lab's coordinator": (lambda resource: coordinator_of(LabFactory()), False),
    "a coordinator of no lab": (lambda resource: UserFactory(roles=[Role.COORDINATOR]), False),
    "an approver": (lambda resource: UserFactory(roles=[Role.APPROVER]), False),
    "finance": (lambda resource: UserFactory(roles=[Role.FINANCE]), False),
    "a researcher": (lambda resource: UserFactory(roles=[Role.RESEARCHER]), False),
}


@pytest.mark.parametrize("who", VIEWERS)
def test_a_resource_feed_names_bookers_and_projects_only_to_the_labs_coordinators_and_admins(
    client, instrument, rival, who
):
    book(instrument, *rival, at(1, 12), at(1, 13))
    make_viewer, named = VIEWERS[who]
    viewer = make_viewer(instrument)
    _, token = issue_feed(owner=viewer, kind=Kind.RESOURCE, resource=instrument)

    response = client.get(reverse("booking_feeds:feed", kwargs={"token": token}))

    (event,) = parse(response.content).events
    assert str(event["SUMMARY"]) == ("Rex Rival · CHEM-7" if named else "Booked")
    assert (b"Rival" in response.content) is named
    assert (b"CHEM-7" in response.content) is named
    # The API's free/busy answer follows the same rule.
    assert can_see_booker_names(viewer, instrument) is named


def test_the_feed_asks_again_at_every_fetch_whether_its_owner_may_see_names(
    client, instrument, rival
):
    book(instrument, *rival, at(1, 12), at(1, 13))
    coordinator = coordinator_of(instrument.lab)
    _, token = issue_feed(owner=coordinator, kind=Kind.RESOURCE, resource=instrument)
    url = reverse("booking_feeds:feed", kwargs={"token": token})
    assert b"Rex Rival" in client.get(url).content

    coordinator.groups.remove(instrument.lab.coordinators)  # moved to another job

    (event,) = parse(client.get(url).content).events
    assert str(event["SUMMARY"]) == "Booked"


def test_the_resource_feed_shows_maintenance(instrument, booker):
    schedule_maintenance(
        resource=instrument,
        starts_at=at(4, 8),
        ends_at=at(4, 17),
        reason="Annual service",
        by=booker,
        now=NOW,
    )

    (event,) = parse(ics.resource_feed(instrument, viewer=booker, now=NOW)).events

    assert str(event["SUMMARY"]) == "Maintenance: Annual service"
    assert event.start == at(4, 8)


def test_the_resource_feed_leaves_out_time_that_is_free_again(instrument, booker, project, rival):
    kept = book(instrument, booker, project, at(1, 10), at(1, 11))
    cancel_booking(booking=book(instrument, *rival, at(1, 12), at(1, 13)), by=rival[0], now=NOW)

    uids = events_by_uid(ics.resource_feed(instrument, viewer=booker, now=NOW))

    assert set(uids) == {f"booking-{kept.pk}@labitory"}


# One booking's file.


def test_one_booking_as_a_calendar_file(instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))

    data = ics.booking_ics(booking, now=NOW)

    calendar = parse(data)
    (event,) = calendar.events
    assert str(event["UID"]) == f"booking-{booking.pk}@labitory"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert calendar.timezones and b"DTSTART;TZID=Europe/London:" in data


def test_a_cancelled_bookings_file_cancels_the_event(instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    cancel_booking(booking=booking, by=booker, now=NOW)
    booking.refresh_from_db()

    (event,) = parse(ics.booking_ics(booking, now=NOW)).events

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


# The URLs.


def feed_url(token: str) -> str:
    return reverse("booking_feeds:feed", kwargs={"token": token})


def test_the_feed_url_serves_text_calendar(client, instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    _, token = issue_feed(owner=booker, kind=Kind.PERSONAL)

    response = client.get(f"/bookings/feeds/{token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f"booking-{booking.pk}@labitory" in events_by_uid(response.content)


def test_a_regenerated_token_makes_the_old_url_stop_working(client, booker):
    _, old = issue_feed(owner=booker, kind=Kind.PERSONAL)
    _, new = issue_feed(owner=booker, kind=Kind.PERSONAL)

    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_a_resource_feed_url_serves_the_resource_calendar(client, instrument, booker):
    _, token = issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert "Confocal LSM 980" in str(parse(response.content)["NAME"])


def test_a_deactivated_owners_feed_is_gone(client, booker):
    _, token = issue_feed(owner=booker, kind=Kind.PERSONAL)
    booker.is_active = False
    booker.save()

    assert client.get(feed_url(token)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/bookings/feeds/" + "A" * 43 + ".ics",
        "/bookings/feeds/garbage.ics",
        "/bookings/feeds/x.ics",
        "/bookings/feeds/" + "A" * 5000 + ".ics",
        "/bookings/feeds/%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83%E2%98%83.ics",
        "/bookings/feeds/..%2F..%2Fetc%2Fpasswd.ics",
        "/bookings/feeds/%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00.ics",
        "/bookings/feeds/'%20OR%201=1%20--%20aaaaaaaa.ics",
    ],
)
def test_a_garbage_token_is_a_404_never_an_error(client, path, facility):
    client.raise_request_exception = False

    assert client.get(path).status_code == 404


def test_the_feed_answers_in_a_fixed_number_of_queries(
    client, instrument, booker, project, django_assert_max_num_queries
):
    _, token = issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)
    for day in range(1, 21):
        book(instrument, booker, project, at(day, 10), at(day, 11))

    # The token, who may see names, the version's digests (bookings, maintenance, outages),
    # then the feed's bookings, their sequences, maintenance and outages: none per booking.
    with django_assert_max_num_queries(9):
        assert client.get(feed_url(token)).status_code == 200


# The page that issues feeds.


def test_issuing_needs_a_signed_in_user(client):
    response = client.post("/bookings/feeds/", {"kind": "personal"})

    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_page_lists_your_feeds(client, facility, booker):
    issue_feed(owner=booker, kind=Kind.PERSONAL)
    client.login(email=booker.email, password=PASSWORD)

    response = client.get("/bookings/feeds/")

    assert response.status_code == 200
    assert b"My bookings" in response.content


def test_posting_issues_a_feed_and_shows_its_url_once(client, facility, booker):
    client.login(email=booker.email, password=PASSWORD)

    response = client.post("/bookings/feeds/", {"kind": "personal"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    feed = CalendarFeed.objects.get(owner=booker)
    url = response.context["feed_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.hash_token(token) == feed.token_hash
    assert url.encode() in response.content
    assert client.get(url).status_code == 200


def test_posting_again_regenerates_and_the_old_url_stops_working(client, facility, booker):
    client.login(email=booker.email, password=PASSWORD)
    old = client.post("/bookings/feeds/", {"kind": "personal"}).context["feed_url"]

    new = client.post("/bookings/feeds/", {"kind": "personal"}).context["feed_url"]

    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_posting_a_resource_feed(client, facility, booker):
    resource = facility.confocal.resource
    client.login(email=booker.email, password=PASSWORD)

    response = client.post("/bookings/feeds/", {"kind": "resource", "resource": resource.pk})

    assert response.status_code == 200
    assert CalendarFeed.objects.get(owner=booker).resource == resource


@pytest.mark.parametrize(
    "data",
    [{"kind": "resource"}, {"kind": "resource", "resource": "999999"}, {"kind": "everything"}, {}],
)
def test_a_bad_request_for_a_feed_is_refused(client, facility, booker, data):
    client.login(email=booker.email, password=PASSWORD)

    response = client.post("/bookings/feeds/", data)

    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


# Stopping a feed


def test_a_stopped_feed_answers_404_and_the_stop_is_logged(client, booker):
    feed, token = issue_feed(owner=booker, kind=Kind.PERSONAL)
    client.force_login(booker)

    response = client.post(reverse("booking_feeds:stop", args=[feed.pk]))

    assert response.status_code == 302
    assert client.get(feed_url(token)).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert ModelLogEntry.objects.filter(action="booking.feed.revoked").exists()


def test_nobody_stops_another_persons_feed(client, booker, rival):
    feed, token = issue_feed(owner=booker, kind=Kind.PERSONAL)
    client.force_login(rival[0])

    response = client.post(reverse("booking_feeds:stop", args=[feed.pk]))

    assert response.status_code == 404
    assert client.get(feed_url(token)).status_code == 200
