"""A coordinator books for a researcher with the notice rule overridden: the booking shows
the override and its reason, and the report of overridden rules lists it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from people.roles import Role
from tests.conftest import make_coordinator
from tests.e2e.test_close_a_month import sign_in_as_staff
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/on-behalf"


def test_a_coordinator_books_for_rosa_overriding_the_notice(live_server, facility, browser_page):
    confocal = facility.confocal.resource
    confocal.min_notice = 7 * 24 * 60
    confocal.save()
    rosa = UserFactory(first_name="Rosa", last_name="Franklin", roles=[Role.RESEARCHER])
    ProjectFactory(code="BIO-2041", name="Live-cell imaging", members=[rosa])
    cora = make_coordinator(facility.imaging_lab, first_name="Cora", last_name="Coordinator")
    start = timezone.localtime() + datetime.timedelta(days=2)
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, cora)

    page.goto(live_server.url + reverse("lab_schedule:index"))
    page.get_by_role("link", name="Book for a researcher on Zeiss LSM 980").first.click()
    page.get_by_label("Researcher").select_option(label="Rosa Franklin")
    page.get_by_label("Project").select_option(label="BIO-2041 · Live-cell imaging")
    page.get_by_label("Start").fill(f"{start:%Y-%m-%d}T10:00")
    page.get_by_label("End").fill(f"{start:%Y-%m-%d}T11:00")
    page.get_by_label("Notice").check()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/book-for-{width}.png", full_page=True)
    page.get_by_role("button", name="Book for the researcher").click()
    expect(page.get_by_text("Say why the rules are overridden.")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"{SHOTS}/book-for-refused-1280.png", full_page=True)

    page.get_by_label("Why").fill("Samples degrade overnight")
    page.get_by_role("button", name="Book for the researcher").click()

    expect(
        page.get_by_text(
            "Booked by Cora Coordinator for Rosa Franklin; "
            "overrode: notice — Samples degrade overnight."
        )
    ).to_be_visible()
    page.screenshot(path=f"{SHOTS}/booking-inspect-1280.png", full_page=True)
    booking = Booking.objects.get()
    assert booking.user == rosa and booking.made_by_staff.staff == cora

    page.goto(live_server.url + reverse("wagtailsnippets_booking_booking:overrides"))
    expect(page.get_by_role("cell", name="Samples degrade overnight")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()  # the admin lays its sidebar out for the width on load
        page.screenshot(path=f"{SHOTS}/overrides-report-{width}.png", full_page=True)
