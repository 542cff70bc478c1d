"""A researcher signs in, picks a free slot on an instrument page, books it and finds it in
My bookings, by keyboard and mouse as a new user would, in well under a minute."""

import re
import time

import pytest
from playwright.sync_api import expect

from booking.models import Booking
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_books_a_free_slot_from_the_instrument_page(
    live_server, facility, researcher, browser_page, screenshot
):
    ProjectFactory(code="BIO-2041", name="Organelle contacts", members=[researcher])
    page = browser_page
    started = time.monotonic()

    page.goto(live_server.url + facility.confocal.url)
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email address").fill(researcher.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Confocal microscope")).to_be_visible()

    page.get_by_role("navigation", name="Calendar view").get_by_role("link", name="Day").click()
    page.get_by_role("link", name="Next day").click()
    # A click on the grid's 10:00 chooses it with the usual length; its link books it.
    page.locator('td[data-start$="T10:00"]').first.click()
    slot = page.get_by_role("link", name=re.compile("^Book 10:00–"))
    expect(slot).to_be_visible()
    screenshot("booking-1-day-view")
    slot.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="Book Zeiss LSM 980")).to_be_visible()
    expect(page.get_by_label("Project to charge")).to_have_value(str(researcher.projects.get().pk))
    page.get_by_role("button", name=re.compile("^Book ")).click()

    expect(page.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    screenshot("booking-2-confirmed")
    page.get_by_role("link", name="My bookings").first.click()
    expect(page.get_by_role("heading", level=1, name="My bookings")).to_be_visible()
    card = page.locator(".booking-card").first
    expect(card).to_contain_text("Zeiss LSM 980")
    expect(card).to_contain_text("10:00")
    expect(card).to_contain_text("Confirmed")
    screenshot("booking-3-my-bookings")

    seconds = time.monotonic() - started
    print(f"\nSigned in, picked a slot, booked and found it in My bookings in {seconds:.1f} s")
    booking = Booking.objects.get()
    assert booking.user == researcher and booking.status == Booking.Status.CONFIRMED
    assert seconds < 60
