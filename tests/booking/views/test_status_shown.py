"""An instrument's status is said wherever the instrument is shown: its page, the index,
the find page, the booking form and confirmation, and the lab schedule."""

import pytest
from django.urls import reverse

from booking.models import Resource
from booking.services import StatusChange, request_booking, set_resource_status
from tests.booking.views.screens import local
from tests.booking.views.test_find import find_url, window
from tests.conftest import sign_in_with_second_factor
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def set_status(resource: Resource, by, status: str, note: str, back=None) -> Resource:
    change = StatusChange(status=status, note=note, expected_back=back)
    resource, _ = set_resource_status(resource=resource, change=change, by=by)
    return resource


@pytest.fixture
def confocal_down(facility, site_admin) -> Resource:
    resource = facility.confocal.resource
    return set_status(resource, site_admin, "down", "Laser failed", local(2, 9))


@pytest.fixture
def confocal_limited(facility, site_admin) -> Resource:
    return set_status(facility.confocal.resource, site_admin, "limited", "405 nm laser off")


def test_the_instrument_page_says_down_until_when(client, facility, confocal_down):
    page = client.get(facility.confocal.url).text

    assert f"Down until {local(2, 9):%H:%M, %A %-d %B}" in page
    assert "Laser failed" in page


def test_the_instrument_page_warns_of_a_limitation(client, facility, confocal_limited):
    page = client.get(facility.confocal.url).text

    assert "Limited: works with a limitation" in page and "405 nm laser off" in page


def test_a_working_instrument_shows_no_status_notice(client, facility):
    assert "instrument-status" not in client.get(facility.confocal.url).text


def test_the_index_card_says_down(client, facility, confocal_down):
    page = client.get(facility.index.url).text

    assert f"Down until {local(2, 9):%H:%M, %a %-d %b}" in page


def test_the_find_page_says_down_and_refuses(signed_in, facility, confocal_down):
    page = signed_in.get(find_url(), window(days=1)).text

    assert f"Down until {local(2, 9):%H:%M, %a %-d %b}" in page
    assert "Zeiss LSM 980 is down until" in page


def test_the_booking_form_and_confirmation_warn_of_a_limitation(
    signed_in, researcher, facility, confocal_limited
):
    form = signed_in.get(reverse("booking:new", args=[confocal_limited.pk])).text
    booking = request_booking(
        user=researcher,
        resource=confocal_limited,
        project=ProjectFactory(members=[researcher]),
        start=local(3, 10),
        end=local(3, 11),
    )
    confirmation = signed_in.get(reverse("booking:detail", args=[booking.pk])).text

    assert "405 nm laser off" in form
    assert "Limited: works with a limitation" in confirmation and "405 nm laser off" in confirmation


def test_the_lab_schedule_shows_the_outage(client, coordinator, facility, confocal_down):
    sign_in_with_second_factor(client, coordinator)
    query = f"?date={local(1, 0):%Y-%m-%d}&lab={facility.imaging_lab.lab.pk}"

    page = client.get(reverse("lab_schedule:index") + query).text

    assert "Down until" in page
    assert "Down:</span> Laser failed" in page
    assert reverse("wagtailsnippets_booking_resource:status", args=[confocal_down.pk]) in page
