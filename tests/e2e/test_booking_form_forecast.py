"""A researcher chooses a long time on the booking form: before submitting, the form says who
would approve it, in order, and the quota left; the required policy is accepted in the form;
the request's page shows the cost, the room and an .ics file. Screens at 1280 and 390 px."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, Quota, RequiredPolicy
from tests.booking.test_policies import publish
from tests.e2e.test_book_on_the_grid import sign_in
from tests.factories import ProjectFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/grid"


def shoot(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_form_tells_who_approves_and_takes_the_policy(
    live_server, facility, researcher, browser_page
):
    resource = facility.confocal.resource
    ProjectFactory(code="BIO-2041", members=[researcher])
    make_rule(
        resource.lab,
        {"label": "PI", "approvers": ApprovalStep.Approvers.PROJECT_PI},
        {"label": "Lab coordinator", "approvers": ApprovalStep.Approvers.GROUP},
        longer_than=120,
    )
    Quota.objects.create(resource=resource, scope="user", period="week", hours=10)
    RequiredPolicy.objects.create(resource=resource, policy=publish(facility.safety_policy))
    facility.confocal.location = "Room 2.14, Crick Building"
    facility.confocal.save_revision().publish()
    day = timezone.localdate() + datetime.timedelta(days=2)
    form = f"{reverse('booking:new', args=[resource.pk])}?start={day}T09:00&end={day}T10:00"
    page = browser_page
    sign_in(page, live_server, researcher, form)

    expect(page.get_by_text("No approval needed")).to_be_visible()
    page.locator("[name=end_1]").fill("12:00")
    page.locator("[name=end_1]").dispatch_event("change")
    expect(page.get_by_text("Needs approval: PI, then Lab coordinator.")).to_be_visible()
    forecast = page.locator("[data-estimate]")
    expect(forecast.get_by_text("You have 10 h left of 10 h this week.")).to_be_visible()
    page.get_by_label("I have read and accept Laser safety").check()
    shoot(page, "booking-form")

    page.get_by_role("button", name=re.compile("^Book ")).click()
    expect(page.get_by_role("heading", name="Requested: waiting for approval")).to_be_visible()
    expect(page.get_by_text("Room 2.14, Crick Building")).to_be_visible()
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    shoot(page, "booking-detail")
    assert Booking.objects.get().status == Booking.Status.REQUESTED

    page.goto(f"{live_server.url}{facility.confocal.url}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="My bookings")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/instrument-phone-390.png", full_page=True)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My bookings")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/instrument-phone-menu-390.png")
