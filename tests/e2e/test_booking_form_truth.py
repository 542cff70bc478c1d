"""The booking screens tell the truth in the browser: the estimate follows the chosen time
and project as they change, and "Join the waiting list" stays inside its block on the
instrument page at desktop and phone widths."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import OpeningHours, Qualification
from booking.services import request_booking
from labitory.clock import facility_zone
from people.models import User
from reporting.models import RateCard
from tests.e2e.conftest import SHOTS
from tests.factories import PASSWORD, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tomorrow(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.now().astimezone(facility_zone()).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=facility_zone())


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_the_estimate_follows_the_time_and_the_project(
    live_server, facility, researcher, browser_page
):
    resource = facility.confocal.resource
    RateCard.objects.create(
        resource=resource,
        category=User.Category.INTERNAL,
        hourly_rate=Decimal("42.00"),
        booking_fee=Decimal("0"),
        minimum_charge=Decimal("0"),
        rounding_minutes=15,
        effective_from=datetime.date(2020, 1, 1),
    )
    first = ProjectFactory(code="BIO-2041", members=[researcher])
    other = ProjectFactory(code="BIO-2057", members=[researcher])
    page = browser_page
    sign_in(page, live_server, researcher)
    start, end = tomorrow(10), tomorrow(11)
    page.goto(
        f"{live_server.url}/bookings/new/{resource.pk}/"
        f"?start={start:%Y-%m-%dT%H:%M}&end={end:%Y-%m-%dT%H:%M}&project={other.pk}"
    )
    estimate = page.locator("[data-estimate]")
    expect(estimate).to_contain_text("about £42.00 to project BIO-2057")

    page.locator("[name=end_1]").fill("12:30")
    page.locator("[name=end_1]").dispatch_event("change")
    expect(estimate).to_contain_text("about £105.00 to project BIO-2057")

    page.get_by_label("Project to charge").select_option(value=str(first.pk))
    expect(estimate).to_contain_text("about £105.00 to project BIO-2041")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/e2e-booking-form-estimate-{width}.png", full_page=True)


def test_join_the_waiting_list_stays_inside_its_block(
    live_server, facility, researcher, browser_page
):
    resource = facility.confocal.resource
    rival = UserFactory(first_name="Rita")
    rival_project = ProjectFactory(members=[rival])
    request_booking(
        user=rival, resource=resource, project=rival_project, start=tomorrow(10), end=tomorrow(11)
    )
    ProjectFactory(members=[researcher])
    page = browser_page
    sign_in(page, live_server, researcher)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + facility.confocal.url + "#book")
        # Wide screens show the grid, phones the list: the waiting list is offered in each.
        link = page.locator(".entry__wait:visible").first
        expect(link).to_be_visible()
        inner = link.bounding_box()
        outer = link.locator("xpath=..").bounding_box()
        assert inner["x"] >= outer["x"] - 0.5, width
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5, (
            width,
            inner,
            outer,
        )
        page.screenshot(path=f"{SHOTS}/e2e-instrument-waiting-list-{width}.png", full_page=True)


def test_free_time_and_a_series_tell_the_viewer_what_they_mean(
    live_server, facility, researcher, browser_page
):
    resource = facility.confocal.resource
    resource.requires_qualification = True
    resource.allow_outside_hours = True
    resource.save()
    project = ProjectFactory(members=[researcher])
    page = browser_page
    sign_in(page, live_server, researcher)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + facility.confocal.url + "#book")
        expect(page.get_by_text("Before you can book", exact=True)).to_be_visible()
        expect(page.locator(".entry--blocked").first).to_contain_text("you can’t book it yet")
        page.screenshot(path=f"{SHOTS}/e2e-instrument-cannot-book-{width}.png", full_page=True)

    Qualification.objects.create(resource=resource, user=researcher)
    start = tomorrow(18)
    OpeningHours.objects.create(
        resource=resource, weekday=start.weekday(), opens=datetime.time(9), closes=datetime.time(17)
    )
    page.goto(
        f"{live_server.url}/bookings/new/{resource.pk}/?start={start:%Y-%m-%dT%H:%M}"
        f"&end={tomorrow(19):%Y-%m-%dT%H:%M}&project={project.pk}"
    )
    page.get_by_text("Repeat this booking").click()
    page.locator("[name=repeat-frequency]").select_option("WEEKLY")
    page.locator("[name=repeat-count]").fill("3")
    page.get_by_role("button", name="Book Zeiss LSM 980").click()
    expect(page.get_by_text("Free, needs approval").first).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/e2e-series-needs-approval-{width}.png", full_page=True)
