"""The waiting list on the instrument page and in My bookings, and calendar feed links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, BookingQuestion, CalendarFeed, WaitlistEntry
from tests.booking.views.screens import book, local, when

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(resource, rival) -> Booking:
    return book(resource, rival.pi, rival, local(2, 10), local(2, 11))


def join_url(resource) -> str:
    return reverse("booking:waitlist_join", args=[resource.pk])


def post_join(client, resource, project, start, end):
    data = {**when("start", start), **when("end", end), "project": project.pk}
    return client.post(join_url(resource), data)


def entry_for(user, resource, project, status="waiting", **fields) -> WaitlistEntry:
    return WaitlistEntry.objects.create(
        user=user,
        resource=resource,
        project=project,
        start=local(2, 10),
        end=local(2, 11),
        status=status,
        **fields,
    )


def test_taken_time_offers_the_waiting_list_to_someone_who_could_book(
    signed_in, facility, resource, project, taken
):
    page = signed_in.get(facility.confocal.url, {"day": local(2, 0).date(), "view": "day"}).text
    assert "Join the waiting list" in page
    assert join_url(resource) in page


def test_taken_time_offers_no_waiting_list_to_visitors(client, facility, taken):
    page = client.get(facility.confocal.url, {"day": local(2, 0).date(), "view": "day"}).text
    assert "Join the waiting list" not in page


def test_joining_the_waiting_list_for_a_taken_time(signed_in, resource, project, taken):
    form = signed_in.get(
        join_url(resource),
        {"start": f"{local(2, 10):%Y-%m-%dT%H:%M}", "end": f"{local(2, 11):%Y-%m-%dT%H:%M}"},
    ).text
    assert 'value="10:00"' in form and 'value="11:00"' in form

    response = post_join(signed_in, resource, project, local(2, 10), local(2, 11))

    assert response.status_code == 302 and response.url == reverse("booking:mine")
    entry = WaitlistEntry.objects.get()
    assert (entry.status, entry.start) == ("waiting", local(2, 10))
    mine = signed_in.get(response.url).text
    assert "Your waiting lists" in mine and "Waiting" in mine and "Leave the list" in mine


def test_joining_for_a_free_time_is_refused_with_its_reason(signed_in, resource, project):
    response = post_join(signed_in, resource, project, local(2, 14), local(2, 15))
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [
        "That time is free: book it instead of waiting."
    ]
    assert not WaitlistEntry.objects.exists()


def test_an_open_offer_can_be_accepted_from_my_bookings(signed_in, researcher, resource, project):
    expires = timezone.now() + datetime.timedelta(minutes=30)
    entry = entry_for(researcher, resource, project, "offered", offer_expires_at=expires)
    page = signed_in.get(reverse("booking:mine")).text
    assert "Offered to you until" in page
    assert reverse("booking:waitlist_accept", args=[entry.pk]) in page

    response = signed_in.post(reverse("booking:waitlist_accept", args=[entry.pk]))

    booking = Booking.objects.get(user=researcher)
    assert response.url == reverse("booking:detail", args=[booking.pk])
    entry.refresh_from_db()
    assert entry.status == "accepted" and entry.booking == booking


def test_an_expired_offer_cannot_be_accepted(signed_in, researcher, resource, project):
    expired = timezone.now() - datetime.timedelta(minutes=1)
    entry = entry_for(researcher, resource, project, "offered", offer_expires_at=expired)
    assert "Offer expired" in signed_in.get(reverse("booking:mine")).text

    response = signed_in.post(reverse("booking:waitlist_accept", args=[entry.pk]))

    assert response.status_code == 302
    assert "The offer has expired" in signed_in.get(response.url).text
    assert not Booking.objects.exists()


def test_leaving_the_waiting_list(signed_in, researcher, resource, project):
    entry = entry_for(researcher, resource, project)
    response = signed_in.post(reverse("booking:waitlist_leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert "You have left the waiting list" in signed_in.get(response.url).text


def test_someone_elses_entry_is_not_found(client, researcher, resource, project, rival):
    entry = entry_for(researcher, resource, project)
    client.force_login(rival.pi)
    for name in ("waitlist_accept", "waitlist_leave"):
        assert client.post(reverse(f"booking:{name}", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_the_waiting_list_needs_signing_in(client, resource):
    response = client.get(join_url(resource))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


# Calendar feeds.


def test_my_bookings_links_to_the_calendar_feeds(signed_in):
    page = signed_in.get(reverse("booking:mine")).text
    assert reverse("booking_feeds:manage") in page and "Find a free instrument" in page


def test_the_feeds_page_explains_how_to_subscribe(signed_in):
    page = signed_in.get(reverse("booking_feeds:manage")).text
    for app in ("Outlook", "Google Calendar", "Apple Calendar", "From URL"):
        assert app in page


def test_subscribing_from_the_instrument_page_makes_a_resource_feed(
    signed_in, facility, resource, researcher
):
    page = signed_in.get(facility.confocal.url).text
    assert "Subscribe to this instrument’s calendar" in page

    response = signed_in.post(
        reverse("booking_feeds:manage"), {"kind": "resource", "resource": resource.pk}
    )

    assert response.status_code == 200 and "is ready" in response.text
    feed = CalendarFeed.objects.get(owner=researcher)
    assert (feed.kind, feed.resource) == ("resource", resource)


# An offer on a resource that asks questions: they are asked before the booking is made.


@pytest.fixture
def level(resource):
    return BookingQuestion.objects.create(
        resource=resource, text="Biosafety level", kind="choice", options="BSL-1\nBSL-2"
    )


def offered(researcher, resource, project) -> WaitlistEntry:
    expires = timezone.now() + datetime.timedelta(minutes=30)
    return entry_for(researcher, resource, project, "offered", offer_expires_at=expires)


def test_accepting_asks_the_resources_questions_first(
    signed_in, researcher, resource, project, level
):
    entry = offered(researcher, resource, project)
    accept = reverse("booking:waitlist_accept", args=[entry.pk])

    asked = signed_in.post(accept)

    assert asked.status_code == 200 and "Biosafety level" in asked.text
    assert not Booking.objects.exists()
    response = signed_in.post(accept, {"answering": "1", f"answer_{level.pk}": "BSL-2"})
    booking = Booking.objects.get(user=researcher)
    assert response.url == reverse("booking:detail", args=[booking.pk])
    assert [(a.question_id, a.value) for a in booking.answers.all()] == [(level.pk, "BSL-2")]


def test_an_offer_accepted_without_the_answer_says_so_next_to_the_question(
    signed_in, researcher, resource, project, level
):
    entry = offered(researcher, resource, project)

    response = signed_in.post(
        reverse("booking:waitlist_accept", args=[entry.pk]), {"answering": "1"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[f"answer_{level.pk}"]
    assert not Booking.objects.exists()
    entry.refresh_from_db()
    assert entry.status == "offered"
