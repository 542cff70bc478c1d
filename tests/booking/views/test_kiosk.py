"""The kiosk beside an instrument: its address, now and next without names, checking in by
signing in once, and the session ending after the action or when left idle."""

import datetime
from html import unescape

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booking import kiosk_session
from booking.models import Booking, Kiosk
from booking.services.kiosks import KioskRefused, enable_kiosk, revoke_kiosk
from tests.conftest import make_coordinator, sign_in_with_second_factor
from tests.factories import PASSWORD, UserFactory

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def kiosk(resource, coordinator) -> tuple[Kiosk, str]:
    return enable_kiosk(resource=resource, by=coordinator)


@pytest.fixture
def token(kiosk) -> str:
    return kiosk[1]


def held(resource, user, project, start, end) -> Booking:
    return Booking.objects.create(
        resource=resource, user=user, project=project, start=start, end=end
    )


@pytest.fixture
def booking_now(resource, researcher, project) -> Booking:
    now = timezone.now()
    return held(resource, researcher, project, now - 5 * MINUTE, now + 55 * MINUTE)


@pytest.fixture
def someone_next(resource, project) -> Booking:
    other = UserFactory(first_name="Nina", last_name="Nextbooker", email="nina@example.org")
    now = timezone.now()
    return held(resource, other, project, now + 90 * MINUTE, now + 150 * MINUTE)


def signed_in_at_kiosk(client, user, token):
    """As the kiosk does it: the session is marked, then the person signs in."""
    response = client.get(reverse("kiosk:sign_in", args=[token]))
    assert response.url.startswith(reverse("account_login"))
    client.force_login(user)
    return client


# The resting page.


def test_the_kiosk_shows_now_and_next_without_names(
    client, resource, token, booking_now, someone_next
):
    page = unescape(client.get(reverse("kiosk:display", args=[token])).text)

    assert resource.name in page
    assert "Booked until" in page
    local = timezone.localtime(someone_next.start)
    assert f"{local:%H:%M}" in page
    for detail in ("Rosa", "rosa.researcher", "Nina", "Nextbooker", "nina@", "BIO-2041"):
        assert detail not in page


def test_an_unknown_kiosk_address_says_so(client, db):
    response = client.get(reverse("kiosk:display", args=["not-a-kiosk"]))

    assert response.status_code == 404
    assert "Unknown kiosk address" in response.text


def test_a_revoked_kiosk_address_says_so(client, resource, coordinator, token):
    revoke_kiosk(resource=resource, by=coordinator)

    response = client.get(reverse("kiosk:display", args=[token]))

    assert response.status_code == 410
    assert "This kiosk address was revoked" in unescape(response.text)


def test_a_kiosk_of_a_retired_instrument_says_so(client, resource, token):
    resource.is_active = False
    resource.save(update_fields=["is_active"])

    response = client.get(reverse("kiosk:display", args=[token]))

    assert response.status_code == 410
    assert "is not in service" in response.text


# Checking in.


def test_signing_in_once_checks_in_and_ends_the_session(client, researcher, token, booking_now):
    url = reverse("kiosk:check_in", args=[token])
    sign_in = client.get(reverse("kiosk:sign_in", args=[token]))
    # The one sign-in page, with a password, comes back to the kiosk's check-in.
    response = client.post(sign_in.url, {"login": researcher.email, "password": PASSWORD})
    assert response.url == url
    page = unescape(client.get(url).text)
    assert "Check in now" in page and "rosa.researcher@example.org" in page

    response = client.post(url, {"booking": booking_now.pk})

    booking_now.refresh_from_db()
    assert booking_now.status == Booking.Status.CHECKED_IN
    assert "Checked in" in response.text
    assert SESSION_KEY not in client.session
    assert client.get(url).status_code == 302  # signed out: back to sign-in


def test_the_kiosk_shows_only_the_persons_own_booking(
    client, researcher, token, someone_next, booking_now
):
    signed_in_at_kiosk(client, researcher, token)

    page = unescape(client.get(reverse("kiosk:check_in", args=[token])).text)

    assert "Your booking" in page
    assert "Nina" not in page and "nina@" not in page


def test_someone_elses_booking_is_refused_at_the_kiosk_and_the_session_ends(
    client, resource, project, token
):
    now = timezone.now()
    theirs = held(resource, UserFactory(), project, now - 5 * MINUTE, now + 55 * MINUTE)
    signed_in_at_kiosk(client, UserFactory(), token)

    response = client.post(reverse("kiosk:check_in", args=[token]), {"booking": theirs.pk})

    assert "Only the person who booked can check in." in unescape(response.text)
    assert Booking.objects.get(pk=theirs.pk).status == Booking.Status.CONFIRMED
    assert SESSION_KEY not in client.session


def test_check_in_outside_the_window_is_refused_at_the_kiosk(
    client, resource, researcher, project, token
):
    now = timezone.now()
    later = held(resource, researcher, project, now + 120 * MINUTE, now + 180 * MINUTE)
    signed_in_at_kiosk(client, researcher, token)

    response = client.post(reverse("kiosk:check_in", args=[token]), {"booking": later.pk})

    assert "Check-in opens at" in unescape(response.text)
    assert Booking.objects.get(pk=later.pk).status == Booking.Status.CONFIRMED


def test_a_revoked_kiosk_checks_nobody_in(
    client, resource, coordinator, researcher, token, booking_now
):
    signed_in_at_kiosk(client, researcher, token)
    revoke_kiosk(resource=resource, by=coordinator)

    response = client.post(reverse("kiosk:check_in", args=[token]), {"booking": booking_now.pk})

    assert response.status_code == 410
    assert Booking.objects.get(pk=booking_now.pk).status == Booking.Status.CONFIRMED


def test_a_kiosk_session_left_idle_ends_on_the_next_request(client, researcher, token):
    signed_in_at_kiosk(client, researcher, token)
    session = client.session
    marker = session[kiosk_session.MARKER]
    session[kiosk_session.MARKER] = {**marker, "seen": marker["seen"] - 3600}
    session.save()

    response = client.get(reverse("booking:mine"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_showing_the_resting_page_ends_a_kiosk_session(client, researcher, token):
    signed_in_at_kiosk(client, researcher, token)

    client.get(reverse("kiosk:display", args=[token]))

    assert SESSION_KEY not in client.session


def test_done_signs_out_a_kiosk_session_only(client, researcher, token):
    ordinary = Client()
    ordinary.force_login(researcher)
    ordinary.post(reverse("kiosk:leave", args=[token]))
    assert SESSION_KEY in ordinary.session

    signed_in_at_kiosk(client, researcher, token)
    response = client.post(reverse("kiosk:leave", args=[token]))
    assert response.url == reverse("kiosk:display", args=[token])
    assert SESSION_KEY not in client.session


def test_staff_still_need_their_second_factor_at_the_kiosk(client, coordinator, token):
    signed_in_at_kiosk(client, coordinator, token)  # a password only

    response = client.get(reverse("kiosk:check_in", args=[token]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_setup"))
    # The resting page (no names) and "Done" stay open, and end the half-signed-in session.
    assert client.get(reverse("kiosk:display", args=[token])).status_code == 200
    assert SESSION_KEY not in client.session


# Issuing and revoking addresses.


def test_the_coordinator_enables_a_kiosk_and_sees_its_address_once(client, coordinator, resource):
    sign_in_with_second_factor(client, coordinator)

    page = client.post(reverse("booking:kiosk_enable", args=[resource.pk])).text

    kiosk = Kiosk.objects.get(resource=resource, revoked_at=None)
    token = page.split("/kiosk/")[1].split("/")[0]
    assert Kiosk.hash_token(token) == kiosk.token_hash
    assert token not in client.get(reverse("booking:instrument_sign", args=[resource.pk])).text


def test_enabling_again_revokes_the_old_address(resource, coordinator, token):
    enable_kiosk(resource=resource, by=coordinator)

    old = Kiosk.objects.get(token_hash=Kiosk.hash_token(token))
    assert old.revoked_at is not None
    assert Kiosk.objects.filter(resource=resource, revoked_at=None).count() == 1


def test_another_labs_coordinator_may_not_enable_or_revoke(client, facility, resource, token):
    other = make_coordinator(facility.proteomics_lab, email="colm@example.org")
    with pytest.raises(KioskRefused) as refused:
        revoke_kiosk(resource=resource, by=other)
    assert refused.value.code == "not_lab_staff" and refused.value.status == 403

    sign_in_with_second_factor(client, other)
    assert client.post(reverse("booking:kiosk_enable", args=[resource.pk])).status_code == 403
    assert client.post(reverse("booking:kiosk_revoke", args=[resource.pk])).status_code == 403
    assert Kiosk.objects.get(token_hash=Kiosk.hash_token(token)).revoked_at is None


def test_a_retired_instrument_gets_no_kiosk(resource, coordinator):
    resource.is_active = False
    resource.save(update_fields=["is_active"])

    with pytest.raises(KioskRefused) as refused:
        enable_kiosk(resource=resource, by=coordinator)

    assert refused.value.code == "resource_inactive"
    assert not Kiosk.objects.exists()
