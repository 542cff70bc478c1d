"""A coordinator records attendance at the desk from the lab schedule: the booking under way
has an Attendance link, the form offers check in and no-show, the reason is required, and
the booking's history keeps who and why. Screens at desktop and phone width, with the
instrument page's way to book for a researcher and a waiting list offer that asks the
resource's questions."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, BookingQuestion, WaitlistEntry
from booking.services import request_booking
from tests.e2e.conftest import SHOTS
from tests.e2e.test_report_a_problem import local, sign_in
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shots(page, name: str) -> None:
    folder = f"{SHOTS}/attendance"
    os.makedirs(folder, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def under_way(facility) -> Booking:
    rosa = UserFactory(email="rosa@example.org", first_name="Rosa", last_name="Franklin")
    project = ProjectFactory(code="BIO-2041", members=[rosa])
    booking = request_booking(
        user=rosa,
        resource=facility.confocal.resource,
        project=project,
        start=local(3, 10),
        end=local(3, 11),
    )
    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    Booking.objects.filter(pk=booking.pk).update(
        start=start, end=start + datetime.timedelta(hours=1)
    )
    return booking


def test_a_coordinator_checks_a_researcher_in_from_the_lab_schedule(
    live_server, facility, coordinator, under_way, chromium, settings
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    cora = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    cora.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in(cora, coordinator, staff=True)
    cora.goto(live_server.url + reverse("lab_schedule:index"))
    shots(cora, "1-schedule")
    cora.get_by_role("link", name="Attendance of Rosa Franklin").first.click()
    expect(cora.get_by_role("radio", name="Check in")).to_be_visible()
    expect(cora.get_by_role("radio", name="No-show")).to_be_visible()
    expect(cora.get_by_role("radio", name="Check out")).to_have_count(0)
    cora.get_by_role("radio", name="Check in").check()
    cora.get_by_role("button", name="Record").click()
    expect(cora.get_by_text("Say why you record this for them.")).to_be_visible()
    shots(cora, "2-reason-missing")
    cora.get_by_label("Reason").fill("Badge reader at the door is broken")
    cora.get_by_role("button", name="Record").click()
    expect(cora.get_by_text("Rosa Franklin checked in")).to_be_visible()
    assert Booking.objects.get(pk=under_way.pk).status == Booking.Status.CHECKED_IN

    cora.goto(
        live_server.url + reverse("wagtailsnippets_booking_booking:inspect", args=[under_way.pk])
    )
    expect(
        cora.get_by_text("Recorded by staff: Badge reader at the door is broken")
    ).to_be_visible()
    shots(cora, "3-history")

    cora.goto(live_server.url + facility.confocal.url)
    cora.get_by_role("link", name="Book for a researcher").click()
    expect(cora.get_by_role("heading", name="Book for a researcher")).to_be_visible()
    shots(cora, "4-book-for-from-the-instrument-page")


def test_a_waiting_list_offer_asks_the_questions(
    live_server, facility, researcher, chromium, under_way
):
    confocal = facility.confocal.resource
    BookingQuestion.objects.create(
        resource=confocal, text="Biosafety level", kind="choice", options="BSL-1\nBSL-2"
    )
    project = ProjectFactory(code="BIO-7", members=[researcher])
    entry = WaitlistEntry.objects.create(
        user=researcher,
        resource=confocal,
        project=project,
        start=local(4, 10),
        end=local(4, 11),
        status="offered",
        offer_expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    page = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + reverse("account_login"))
    sign_in(page, researcher)
    page.goto(live_server.url + reverse("booking:mine"))
    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_label("Biosafety level")).to_be_visible()
    shots(page, "5-offer-questions")
    page.get_by_label("Biosafety level").select_option("BSL-2")
    page.get_by_role("button", name="Accept and book").click()
    entry.refresh_from_db()
    assert entry.status == "accepted"
    assert entry.booking.answers.get().value == "BSL-2"
