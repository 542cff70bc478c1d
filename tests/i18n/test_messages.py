"""Emails are written in the recipient's language whoever caused them: a German booker's
confirmation names the day in German and its calendar file speaks German, while an English
colleague's stays English. (The wording of the email templates is translated next; their
dates, times and calendar files follow the language already.)"""

import icalendar
import pytest
from django.utils import translation

from booking.ics import feed_ics
from booking.models import Booking, CalendarFeed
from tests.factories import ProjectFactory, UserFactory
from tests.workflows.conftest import NOW, at
from tests.workflows.test_notifications import book, book_needing_approval, calendar_of, only

pytestmark = pytest.mark.django_db


@pytest.fixture
def greta(db):
    return UserFactory(email="greta@example.org", first_name="Greta", language="de")


def test_a_german_bookers_confirmation_is_dated_in_german(instrument, greta):
    project = ProjectFactory(code="BIO-7", members=[greta])

    with translation.override("en-gb"):  # the request that books runs in English
        book(instrument, greta, project)

    message = only(greta, "booking_confirmed")
    assert "Dienstag, 5. März 2030, 10:00–11:00 (Europe/London)" in message.subject
    assert "Tuesday" not in message.subject
    assert calendar_of(message).start == at(1, 10)


def test_a_german_bookers_calendar_feed_speaks_german(instrument, greta):
    project = ProjectFactory(code="BIO-7", members=[greta])
    booking = book_needing_approval(instrument, greta, project)
    feed = CalendarFeed(owner=greta, kind=CalendarFeed.Kind.PERSONAL)

    with translation.override("en-gb"):  # a calendar app's fetch carries no language
        [event] = icalendar.Calendar.from_ical(feed_ics(feed, now=NOW)).events

    assert booking.status == Booking.Status.REQUESTED
    assert str(event["SUMMARY"]) == "Confocal LSM 980 (wartet auf Freigabe)"
    assert str(event["DESCRIPTION"]).startswith("Angefragt · Projekt BIO-7")


def test_an_english_bookers_message_stays_english_when_german_is_active(
    instrument, booker, project
):
    with translation.override("de"):
        book(instrument, booker, project)

    assert "Tuesday 5 March 2030" in only(booker, "booking_confirmed").subject
