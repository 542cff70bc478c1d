"""At phone width, a researcher opens an instrument's QR link, signs in and checks in to
their booking with one tap; the kiosk beside the instrument shows now and next with no
names. The second test photographs the sign (and prints it to PDF), the check-in page and
the kiosk at desktop and phone widths."""

import datetime
import os
import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from booking.services.kiosks import enable_kiosk
from tests.conftest import sign_in_with_second_factor
from tests.factories import PASSWORD, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/kiosk"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def bookings(facility, researcher):
    """Rosa's booking on the confocal now, and Nina's after it."""
    resource = facility.confocal.resource
    nina = UserFactory(first_name="Nina", last_name="Nextbooker", email="nina@example.org")
    project = ProjectFactory(code="BIO-2041", members=[researcher, nina])
    now = timezone.now()
    mine = Booking.objects.create(
        resource=resource,
        user=researcher,
        project=project,
        start=now - 5 * MINUTE,
        end=now + 55 * MINUTE,
    )
    Booking.objects.create(
        resource=resource,
        user=nina,
        project=project,
        start=now + 90 * MINUTE,
        end=now + 150 * MINUTE,
    )
    return mine


def new_page(chromium, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_researcher_checks_in_from_the_qr_link_and_the_kiosk_shows_no_names(
    live_server, chromium, facility, researcher, coordinator, bookings
):
    resource = facility.confocal.resource
    phone = new_page(chromium, PHONE)
    # The QR code holds this address; a phone's camera opens it.
    phone.goto(live_server.url + reverse("booking:instrument_check_in", args=[resource.pk]))
    phone.get_by_label("Email address").fill(researcher.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()

    expect(phone.get_by_role("heading", level=1, name=resource.name)).to_be_visible()
    phone.get_by_role("button", name="Check in now").click()
    expect(phone.get_by_role("heading", name="You’re checked in")).to_be_visible()
    bookings.refresh_from_db()
    assert bookings.status == Booking.Status.CHECKED_IN and bookings.checked_in_at

    _kiosk, token = enable_kiosk(resource=resource, by=coordinator)
    tablet = new_page(chromium, PHONE)
    tablet.goto(live_server.url + reverse("kiosk:display", args=[token]))
    now_panel = tablet.get_by_role("region", name="Now")
    expect(now_panel).to_contain_text("Booked until")
    expect(tablet.get_by_role("region", name="Next")).to_contain_text("Booked")
    text = tablet.locator("body").inner_text()
    for detail in ("Rosa", "rosa.researcher", "Nina", "Nextbooker", "nina@", "BIO-2041"):
        assert detail not in text
    phone.context.close()
    tablet.context.close()


def signed_in_page(chromium, live_server, viewport, user, *, second_factor=False):
    """A browser page carrying a session made by the test client (two-factor included)."""
    client = Client()
    if second_factor:
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    page = new_page(chromium, viewport)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def test_the_sign_check_in_page_and_kiosk_at_desktop_and_phone_width(
    live_server, chromium, facility, researcher, coordinator, bookings
):
    resource = facility.confocal.resource
    sign_url = live_server.url + reverse("booking:instrument_sign", args=[resource.pk])
    check_in_url = live_server.url + reverse("booking:instrument_check_in", args=[resource.pk])
    _kiosk, token = enable_kiosk(resource=resource, by=coordinator)
    kiosk_url = live_server.url + reverse("kiosk:display", args=[token])
    for label, viewport in (("1280", DESKTOP), ("390", PHONE)):
        staff = signed_in_page(chromium, live_server, viewport, coordinator, second_factor=True)
        staff.goto(sign_url)
        expect(staff.get_by_role("heading", name=resource.name, exact=True)).to_be_visible()
        shot(staff, f"sign-{label}")
        if label == "1280":
            for size in ("a4", "a5"):
                staff.goto(f"{sign_url}?size={size}")
                staff.emulate_media(media="print")
                shot(staff, f"sign-print-{size}")
                pdf = f"{SHOTS}/sign-{size}.pdf"
                staff.pdf(path=pdf, prefer_css_page_size=True, print_background=True)
                staff.emulate_media(media="screen")
                info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
                assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
                subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, pdf[:-4]], check=True)
        staff.context.close()

        person = signed_in_page(chromium, live_server, viewport, researcher)
        person.goto(check_in_url)
        expect(person.get_by_role("button", name="Check in now")).to_be_visible()
        shot(person, f"check-in-{label}")
        person.context.close()

        tablet = new_page(chromium, viewport)
        tablet.goto(kiosk_url)
        expect(tablet.get_by_role("region", name="Now")).to_contain_text("Booked until")
        shot(tablet, f"kiosk-{label}")
        tablet.context.close()

        signed_in_tablet = signed_in_page(chromium, live_server, viewport, researcher)
        signed_in_tablet.goto(live_server.url + reverse("kiosk:check_in", args=[token]))
        expect(signed_in_tablet.get_by_role("button", name="Check in now")).to_be_visible()
        shot(signed_in_tablet, f"kiosk-check-in-{label}")
        signed_in_tablet.context.close()
