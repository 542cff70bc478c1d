"""A lab coordinator finds an instrument, edits its summary in Wagtail and publishes it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from people import two_factor
from tests.factories import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_SUMMARY = "Now fitted with an Airyscan 2 detector for super-resolution."


def test_a_coordinator_edits_and_publishes_an_instrument_page(
    live_server, facility, coordinator, browser_page, screenshot
):
    page = browser_page

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("link", name="Imaging lab").first.click()
    expect(page.get_by_role("heading", level=1, name="Imaging lab")).to_be_visible()
    page.get_by_role("link", name="Confocal microscope").first.click()
    expect(page.get_by_role("heading", level=1, name="Confocal microscope")).to_be_visible()
    expect(page.get_by_text("Four laser lines for live-cell imaging.")).to_be_visible()
    screenshot("1-instrument-page")

    device = two_factor.add_known_authenticator(coordinator, secret=SECRET)
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(two_factor.current_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + reverse("wagtailadmin_home"))

    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[facility.confocal.pk]))
    summary = page.get_by_role("textbox", name="Summary")
    summary.fill(NEW_SUMMARY)
    screenshot("2-editor")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("has been published")).to_be_visible()
    screenshot("3-published")

    page.goto(live_server.url + facility.confocal.url)
    expect(page.get_by_text(NEW_SUMMARY)).to_be_visible()
    screenshot("4-public-page-after-publishing")
