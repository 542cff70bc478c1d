"""The instrument's check-in page (what its QR code opens) and its printable sign."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from tests.conftest import sign_in_with_second_factor
from tests.factories import UserFactory

MINUTE = datetime.timedelta(minutes=1)


def check_in_url(resource) -> str:
    return reverse("booking:instrument_check_in", args=[resource.pk])


def held(resource, user, project, start, end, status=Booking.Status.CONFIRMED) -> Booking:
    return Booking.objects.create(
        resource=resource, user=user, project=project, start=start, end=end, status=status
    )


@pytest.fixture
def booking_now(resource, researcher, project) -> Booking:
    now = timezone.now()
    return held(resource, researcher, project, now - 5 * MINUTE, now + 55 * MINUTE)


def status_of(booking: Booking) -> str:
    return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def test_signing_in_comes_back_to_the_same_check_in_page(client, resource):
    response = client.get(check_in_url(resource))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={check_in_url(resource)}"


def test_one_tap_checks_the_researcher_in_to_their_booking_now(signed_in, resource, booking_now):
    page = signed_in.get(check_in_url(resource)).text
    assert "Check in now" in page

    response = signed_in.post(check_in_url(resource), {"booking": booking_now.pk}, follow=True)

    booking_now.refresh_from_db()
    assert booking_now.status == Booking.Status.CHECKED_IN
    assert booking_now.checked_in_at is not None
    assert "You’re checked in" in unescape(response.text)


def test_with_no_booking_now_it_offers_the_free_time_from_now(signed_in, resource):
    page = unescape(signed_in.get(check_in_url(resource)).text)

    assert "You have no booking on" in page
    assert f"{reverse('booking:new', args=[resource.pk])}?start=" in page
    assert "Book from" in page


def test_a_booking_later_today_is_not_open_for_check_in(signed_in, resource, researcher, project):
    now = timezone.now()
    later = held(resource, researcher, project, now + 2 * 60 * MINUTE, now + 3 * 60 * MINUTE)

    page = unescape(signed_in.get(check_in_url(resource)).text)
    assert "Check in now" not in page

    response = signed_in.post(check_in_url(resource), {"booking": later.pk}, follow=True)
    assert "Check-in opens at" in unescape(response.text)
    assert status_of(later) == Booking.Status.CONFIRMED


def test_a_booking_past_its_check_in_window_says_so_and_stays(
    signed_in, resource, researcher, project
):
    now = timezone.now()
    late = held(resource, researcher, project, now - 20 * MINUTE, now + 40 * MINUTE)

    page = unescape(signed_in.get(check_in_url(resource)).text)
    assert 'data-code="check_in_closed"' in page and "Check in now" not in page

    response = signed_in.post(check_in_url(resource), {"booking": late.pk}, follow=True)
    assert "Check-in closed at" in unescape(response.text)
    assert status_of(late) == Booking.Status.CONFIRMED


def test_checking_in_to_someone_elses_booking_is_refused(signed_in, resource, project):
    now = timezone.now()
    theirs = held(resource, UserFactory(), project, now - 5 * MINUTE, now + 55 * MINUTE)

    response = signed_in.post(check_in_url(resource), {"booking": theirs.pk}, follow=True)

    assert "Only the person who booked can check in." in unescape(response.text)
    assert status_of(theirs) == Booking.Status.CONFIRMED


def test_a_booking_of_another_instrument_is_not_found_here(signed_in, facility, booking_now):
    other = facility.orbitrap.resource

    response = signed_in.post(check_in_url(other), {"booking": booking_now.pk}, follow=True)

    assert "There is no such booking on Orbitrap Exploris." in unescape(response.text)
    assert status_of(booking_now) == Booking.Status.CONFIRMED


def test_a_code_for_an_unknown_instrument_says_so(signed_in):
    response = signed_in.get("/bookings/instruments/999999/check-in/")

    assert response.status_code == 404
    assert "Unknown instrument" in response.text


def test_a_code_for_a_retired_instrument_says_so_and_changes_nothing(
    signed_in, resource, booking_now
):
    resource.is_active = False
    resource.save(update_fields=["is_active"])

    assert signed_in.get(check_in_url(resource)).status_code == 410
    response = signed_in.post(check_in_url(resource), {"booking": booking_now.pk})

    assert response.status_code == 410
    assert "is not in service" in response.text
    assert status_of(booking_now) == Booking.Status.CONFIRMED


# The sign.


def test_the_coordinator_prints_a_sign_with_a_code_for_the_check_in_page(
    client, coordinator, resource
):
    sign_in_with_second_factor(client, coordinator)

    page = client.get(reverse("booking:instrument_sign", args=[resource.pk]) + "?size=a5").text

    assert "<svg" in page and "sign--a5" in page
    assert f"http://testserver{check_in_url(resource)}" in page
    assert resource.name in page and resource.lab.name in page


def test_the_sign_is_refused_to_researchers(signed_in, resource):
    response = signed_in.get(reverse("booking:instrument_sign", args=[resource.pk]))

    assert response.status_code == 403


def test_the_instrument_page_leads_its_coordinator_to_the_sign(client, coordinator, facility):
    sign_url = reverse("booking:instrument_sign", args=[facility.confocal.resource.pk])
    sign_in_with_second_factor(client, coordinator)

    assert sign_url in client.get(facility.confocal.url).text
    other = reverse("booking:instrument_sign", args=[facility.orbitrap.resource.pk])
    assert other not in client.get(facility.orbitrap.url).text
    assert client.get(other).status_code == 403


def test_a_check_in_from_the_code_is_what_no_show_release_and_actual_billing_read(
    signed_in, resource, booking_now
):
    from booking.services import complete_finished, release_no_shows
    from reporting.models import UsageRecord
    from reporting.services.usage import billed_interval

    resource.billing_basis = resource.BillingBasis.ACTUAL
    resource.save(update_fields=["billing_basis"])
    signed_in.post(check_in_url(resource), {"booking": booking_now.pk})
    checked_in_at = Booking.objects.get(pk=booking_now.pk).checked_in_at

    assert release_no_shows(now=booking_now.start + 30 * MINUTE) == 0
    complete_finished(now=booking_now.end)

    booking = Booking.objects.select_related("resource").get(pk=booking_now.pk)
    assert booking.status == Booking.Status.COMPLETED
    assert billed_interval(booking, UsageRecord.Kind.USAGE) == (checked_in_at, booking.end)


def test_the_admin_resource_list_and_edit_screen_lead_to_the_sign(client, coordinator, resource):
    sign_url = reverse("booking:instrument_sign", args=[resource.pk])
    sign_in_with_second_factor(client, coordinator)

    listing = client.get(reverse("wagtailsnippets_booking_resource:list")).text
    edit = client.get(reverse("wagtailsnippets_booking_resource:edit", args=[resource.pk])).text

    assert sign_url in listing
    assert sign_url in edit
