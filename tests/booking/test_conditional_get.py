"""Conditional GET: feeds and the API's reads answer with an ETag, a caller that holds the
current copy gets 304, and any change that shows in the answer changes the ETag."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.log_actions import log

from booking import ics
from booking.models import CalendarFeed, Outage, Resource
from booking.services import cancel_booking, issue_feed, request_booking, schedule_maintenance
from tests.booking.conftest import NOW, at
from tests.booking.test_feeds import coordinator_of

pytestmark = pytest.mark.django_db

Kind = CalendarFeed.Kind


def book(resource, user, project, start, end):
    return request_booking(
        user=user, resource=resource, project=project, start=start, end=end, now=NOW
    )


def fetch(client, url: str, etag: str | None = None):
    return client.get(url, headers={"If-None-Match": etag} if etag else {})


@pytest.fixture
def personal_feed(client, booker) -> str:
    _, token = issue_feed(owner=booker, kind=Kind.PERSONAL)
    return reverse("booking_feeds:feed", kwargs={"token": token})


# Feeds.


def test_a_feed_answers_with_a_weak_etag_and_304_while_unchanged(
    client, personal_feed, instrument, booker, project
):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    first = fetch(client, personal_feed)
    etag = first["ETag"]

    again = fetch(client, personal_feed, etag)

    assert first.status_code == 200 and etag.startswith('W/"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, max-age=300"


def test_a_new_booking_changes_the_feeds_etag(client, personal_feed, instrument, booker, project):
    etag = fetch(client, personal_feed)["ETag"]
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))

    response = fetch(client, personal_feed, etag)

    assert response.status_code == 200 and response["ETag"] != etag
    assert f"booking-{booking.pk}@labitory".encode() in response.content


def test_a_cancelled_booking_changes_the_feeds_etag(
    client, personal_feed, instrument, booker, project
):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    etag = fetch(client, personal_feed)["ETag"]
    cancel_booking(booking=booking, by=booker, now=NOW)

    assert fetch(client, personal_feed, etag).status_code == 200


def test_a_renamed_instrument_changes_the_feeds_etag(
    client, personal_feed, instrument, booker, project
):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    etag = fetch(client, personal_feed)["ETag"]
    instrument.name = "Confocal LSM 990"
    instrument.save()

    response = fetch(client, personal_feed, etag)

    assert response.status_code == 200 and b"Confocal LSM 990" in response.content


def test_a_logged_change_raises_the_sequence_and_so_the_etag(
    client, personal_feed, instrument, booker, project
):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    etag = fetch(client, personal_feed)["ETag"]
    log(booking, "booking.changed", user=booker)  # SEQUENCE counts logged changes

    assert fetch(client, personal_feed, etag).status_code == 200


def test_maintenance_changes_a_resource_feeds_etag(client, instrument, booker):
    _, token = issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)
    url = reverse("booking_feeds:feed", kwargs={"token": token})
    etag = fetch(client, url)["ETag"]
    schedule_maintenance(
        resource=instrument, starts_at=at(4, 8), ends_at=at(4, 17), reason="Service", by=booker
    )

    response = fetch(client, url, etag)

    assert response.status_code == 200 and b"Maintenance: Service" in response.content


def test_an_outage_changes_a_resource_feeds_etag(client, instrument, booker):
    _, token = issue_feed(owner=booker, kind=Kind.RESOURCE, resource=instrument)
    url = reverse("booking_feeds:feed", kwargs={"token": token})
    etag = fetch(client, url)["ETag"]
    Outage.objects.create(resource=instrument, starts_at=at(4, 8), ends_at=at(5, 8), reason="Laser")

    response = fetch(client, url, etag)

    assert response.status_code == 200 and b"Down: Laser" in response.content


def test_an_instruments_status_changes_the_personal_feeds_etag(
    client, personal_feed, instrument, booker, project
):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    etag = fetch(client, personal_feed)["ETag"]
    instrument.status, instrument.status_note = Resource.Status.LIMITED, "No 405 nm laser"
    instrument.save()

    response = fetch(client, personal_feed, etag)

    unfolded = response.content.replace(b"\r\n ", b"")  # ICS folds lines at 75 octets
    assert response.status_code == 200 and b"No 405 nm laser" in unfolded


def test_losing_the_right_to_see_names_changes_a_resource_feeds_etag(
    client, instrument, booker, project
):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    coordinator = coordinator_of(instrument.lab)
    _, token = issue_feed(owner=coordinator, kind=Kind.RESOURCE, resource=instrument)
    url = reverse("booking_feeds:feed", kwargs={"token": token})
    etag = fetch(client, url)["ETag"]
    coordinator.groups.remove(instrument.lab.coordinators)

    response = fetch(client, url, etag)

    assert response.status_code == 200 and b"Booked" in response.content


def test_the_version_leaves_out_only_the_moment_of_writing(instrument, booker, project):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    feed, _ = issue_feed(owner=booker, kind=Kind.PERSONAL)

    assert ics.feed_version(feed, now=NOW) == ics.feed_version(feed, now=at(0, 9, 5))
    assert ics.personal_feed(booker, now=NOW) != ics.personal_feed(booker, now=at(0, 9, 5))


def test_a_304_takes_no_more_queries_than_the_version(
    client, personal_feed, instrument, booker, project, django_assert_max_num_queries
):
    for day in range(1, 21):
        book(instrument, booker, project, at(day, 10), at(day, 11))
    etag = fetch(client, personal_feed)["ETag"]

    with django_assert_max_num_queries(4):  # the feed, the zone, its bookings, their log
        assert fetch(client, personal_feed, etag).status_code == 304


# The API's reads.


@pytest.fixture
def api(booker) -> APIClient:
    client = APIClient()
    client.force_login(booker)
    return client


def test_an_api_read_answers_304_until_the_booking_changes(api, instrument, booker, project):
    booking = book(instrument, booker, project, at(1, 10), at(1, 11))
    url = f"/api/v1/bookings/{booking.pk}/"
    etag = fetch(api, url)["ETag"]

    assert fetch(api, url, etag).status_code == 304
    cancel_booking(booking=booking, by=booker, now=NOW)
    response = fetch(api, url, etag)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response["ETag"] != etag


def test_availability_answers_304_until_a_booking_takes_time(api, instrument, booker, project):
    url = (
        f"/api/v1/resources/{instrument.pk}/availability/"
        f"?start={at(1, 0).isoformat()}&end={at(2, 0).isoformat()}".replace("+", "%2B")
    )
    first = fetch(api, url)
    assert first.status_code == 200, first.json()
    etag = first["ETag"]

    assert fetch(api, url, etag).status_code == 304
    book(instrument, booker, project, at(1, 10), at(1, 11))
    response = fetch(api, url, etag)
    assert response.status_code == 200 and response.json()["busy"]


def test_api_writes_carry_no_etag(api, instrument, project):
    response = api.post(
        "/api/v1/bookings/",
        {
            "resource": instrument.pk,
            "project": project.pk,
            "start": at(1, 10).isoformat(),
            "end": at(1, 11).isoformat(),
        },
        format="json",
    )

    assert "ETag" not in response
