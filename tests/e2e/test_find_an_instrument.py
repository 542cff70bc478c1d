"""A researcher looks for a free instrument among many: the count covers every instrument,
and the results page through twenty at a time, on a desktop and on a phone."""

import datetime
import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from booking.models import OpeningHours
from tests.booking.views.screens import local
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, LabFactory, ResourceCategoryFactory, ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def core_facility(db):
    """45 instruments: 30 open in the daytime, 15 open only at night."""
    lab = LabFactory(name="Core facility", slug="core")
    category = ResourceCategoryFactory(name="Microscopes", slug="microscopes")
    for n in range(45):
        resource = ResourceFactory(name=f"Microscope {n + 1:02d}", lab=lab, category=category)
        daytime = n % 3
        opens, closes = (8, 18) if daytime else (20, 23)
        OpeningHours.objects.bulk_create(
            OpeningHours(
                resource=resource,
                weekday=day,
                opens=datetime.time(opens),
                closes=datetime.time(closes),
            )
            for day in range(7)
        )


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + reverse("account_login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_results_page_through_every_instrument(
    live_server, core_facility, researcher, chromium, width
):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, researcher)
    day = f"{local(2, 0):%Y-%m-%d}"
    query = urlencode({"date": day, "start": "10:00", "end": "11:00", "lab": "core"})

    page.goto(f"{live_server.url}{reverse('booking:find')}?{query}")

    results = page.get_by_role("heading", level=2, name="30 of 45 instruments free")
    expect(results).to_be_visible()
    expect(page.locator(".find-result")).to_have_count(20)
    pages = page.get_by_role("navigation", name="Result pages")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/e2e-find-{width}.png", full_page=True)
    pages.get_by_role("link", name="Next page").click()
    expect(page.locator(".find-result")).to_have_count(20)
    expect(page.get_by_label("Lab")).to_have_value("core")
    expect(pages.get_by_role("link", name="Page 3")).to_be_visible()
    context.close()
