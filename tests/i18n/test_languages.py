"""Which language people get: their own, on the site, in the API, in emails and statements;
rule messages in German with stable codes; dates and money by locale."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from booking.ics import status_line
from booking.models import Booking, Resource
from labitory.dates import long_day
from labitory.i18n import language_of
from labitory.money import money
from people.api_tokens import create_token
from tests.api.helpers import iso, soon
from tests.booking.views.screens import local, post_booking
from tests.factories import ProjectFactory, UserFactory
from workflows.notifications import format_when

pytestmark = pytest.mark.django_db


def propose(instrument, project, start, end) -> dict:
    return {"resource": instrument.pk, "project": project.pk, "start": iso(start), "end": iso(end)}


def too_long(instrument, project) -> dict:
    return propose(instrument, project, soon(2, 10), soon(2, 16))


# Money and dates follow the active language; stored amounts do not change.


def test_money_is_written_the_way_each_language_writes_it(settings):
    settings.LABITORY_CURRENCY = "EUR"
    with translation.override("en-gb"):
        assert money(Decimal("16086.01")) == "€16,086.01"
    with translation.override("de"):
        assert money(Decimal("16086.01")) == "16.086,01\xa0€"
        assert money(Decimal("-20")) == "-20,00\xa0€"


def test_dates_name_days_and_months_in_the_language():
    day = datetime.date(2030, 3, 5)
    with translation.override("en-gb"):
        assert long_day(day) == "Tuesday 5 March 2030"
    with translation.override("de"):
        assert long_day(day) == "Dienstag, 5. März 2030"
        start = datetime.datetime(2030, 3, 5, 9, 0, tzinfo=datetime.UTC)
        assert format_when(start, start + datetime.timedelta(hours=2)).startswith(
            "Dienstag, 5. März 2030, 09:00–11:00"
        )


# The API: Accept-Language, else the caller's own language; codes never change.


def test_the_api_answers_in_the_language_the_client_asks_for(api, instrument, project):
    response = api.post(
        "/api/v1/bookings/", too_long(instrument, project), format="json", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "too_long"
    assert body["message"] == "Buchungen dauern höchstens 4 Stunden."
    assert response["Content-Language"] == "de"


def test_a_token_callers_own_language_is_used_when_they_ask_for_none(booker, instrument, project):
    booker.language = "de"
    booker.save()
    _token, secret = create_token(user=booker, name="script", scope="read_write", days=30)
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = client.post("/api/v1/bookings/", too_long(instrument, project), format="json").json()
    assert (body["code"], body["message"]) == ("too_long", "Buchungen dauern höchstens 4 Stunden.")
    asked = client.post(
        "/api/v1/bookings/",
        too_long(instrument, project),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en-GB",
    ).json()
    assert asked["message"] == "Bookings last at most 4 hours."


def test_without_any_language_the_api_speaks_english(api, instrument, project):
    body = api.post("/api/v1/bookings/", too_long(instrument, project), format="json").json()
    assert body["message"] == "Bookings last at most 4 hours."


# The site: the switcher, and a signed-in person's own language over the browser's.


def test_the_switcher_remembers_a_signed_in_persons_language(client, researcher, facility):
    client.force_login(researcher)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/bookings/"})
    assert response.status_code == 302 and response.url == "/bookings/"
    researcher.refresh_from_db()
    assert researcher.language == "de"
    assert response.cookies["django_language"].value == "de"


def test_the_switcher_sets_only_a_cookie_for_visitors(client, facility):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "de"


def test_an_unknown_language_changes_nothing(client, researcher, facility):
    client.force_login(researcher)
    client.post(reverse("set_language"), {"language": "xx", "next": "/bookings/"})
    researcher.refresh_from_db()
    assert researcher.language == ""


def test_the_switcher_is_a_form_on_every_page_and_the_account_page(client, researcher, facility):
    page = client.get(facility.home.url).text
    assert f'action="{reverse("set_language")}" method="post"' in page
    assert (
        '<label class="language-switcher__label" for="language-switcher">Language</label>' in page
    )
    assert 'lang="de"' in page and "Deutsch" in page
    client.force_login(researcher)
    account = client.get(reverse("account_security")).text
    assert 'id="account-language"' in account


def test_a_german_researcher_gets_german_rule_messages_on_the_booking_form(client, facility):
    researcher = UserFactory(email="greta@example.org", language="de")
    project = ProjectFactory(code="BIO-2041", members=[researcher])
    client.force_login(researcher)
    resource = facility.confocal.resource

    # Their own language beats the browser's.
    response = post_booking(
        client, resource, project, local(1, 10), local(1, 15), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200 and response["Content-Language"] == "de"
    assert response.context["form"].errors["end"] == ["Buchungen dauern höchstens 4 Stunden."]
    assert not Booking.objects.exists()


# Emails, statements and feeds: the recipient's language, whoever causes them.


def test_language_of_falls_back_to_the_default(researcher, settings):
    assert language_of(researcher) == settings.LANGUAGE_CODE
    researcher.language = "de"
    assert language_of(researcher) == "de"


def test_a_calendar_feeds_status_line_is_in_the_active_language():
    resource = Resource(status=Resource.Status.LIMITED, status_note="Laser 3 weak")
    with translation.override("de"):
        assert status_line(resource) == "\nGerät eingeschränkt nutzbar: Laser 3 weak"


def test_booking_statuses_are_translated_but_stored_as_codes():
    with translation.override("de"):
        assert Booking.Status.CONFIRMED.label == "Bestätigt"
    assert Booking.Status.CONFIRMED == "confirmed"
