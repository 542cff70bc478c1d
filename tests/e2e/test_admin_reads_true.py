"""Finance staff in the admin: the home is titled with the facility's name and shows no page
counts, and Utilisation shows amounts as money and the month it shows in its picker."""

import re

import pytest
from playwright.sync_api import expect

from labpages.models import FacilitySettings
from people.roles import Role
from tests.e2e.conftest import SHOTS
from tests.e2e.test_close_a_month import october_usage, sign_in_as_staff  # noqa: F401
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("october_usage")
def test_finance_reads_the_facility_name_and_money(live_server, facility, browser_page):
    settings = FacilitySettings.for_site(facility.site)
    settings.facility_name = "Northfield Core Research Facility"
    settings.save()
    finance = UserFactory(roles=[Role.FINANCE])
    page = browser_page
    page.goto(live_server.url + "/admin/")
    sign_in_as_staff(page, finance)

    expect(page.get_by_role("heading", level=1)).to_have_text("Northfield Core Research Facility")
    expect(page.locator(".w-summary__list")).to_have_count(0)
    page.screenshot(path=f"{SHOTS}/e2e-admin-home-finance-1280.png", full_page=True)

    page.goto(live_server.url + "/admin/reports/utilisation/?month=2026-10")
    expect(page.locator("input[type=month]")).to_have_value("2026-10")
    # BIO-2041: 14 × 1.25 h × (£42 + £85) + half of 1 h of each as no-shows
    expect(page.get_by_role("cell", name="£2,286.00", exact=True).first).to_be_visible()
    assert not re.search(r"\d\.\d{3,}", page.locator("main").inner_text())
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/e2e-utilisation-{width}.png", full_page=True)
    page.goto(live_server.url + "/admin/")
    page.screenshot(path=f"{SHOTS}/e2e-admin-home-finance-390.png", full_page=True)
