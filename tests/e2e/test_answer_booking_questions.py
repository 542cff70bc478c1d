"""A researcher books an instrument that asks two required questions: leaving one out shows
the error next to it, answering both books it, and the lab's coordinator reads the answers
on the booking in the admin."""

import datetime
import os
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, BookingQuestion
from labitory.clock import facility_zone
from people import two_factor
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/booking-questions"


def shot(page, name: str, *, at=None) -> None:
    """The page at desktop width, then at phone width, then back. The admin scrolls inside
    its own pane, so there the part `at` points to is scrolled into view instead."""
    os.makedirs(SHOTS, exist_ok=True)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if at is not None:
            at.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=at is None)
    page.set_viewport_size({"width": 1280, "height": 900})


def slot_link(resource) -> str:
    day = timezone.now().astimezone(facility_zone()).date() + datetime.timedelta(days=2)
    query = {"start": f"{day:%Y-%m-%d}T10:00", "end": f"{day:%Y-%m-%d}T11:00"}
    return f"{reverse('booking:new', args=[resource.pk])}?{urlencode(query)}"


def test_a_researcher_answers_the_questions_and_the_coordinator_reads_them(
    live_server, facility, researcher, coordinator, browser_page
):
    resource = facility.confocal.resource
    BookingQuestion.objects.create(
        resource=resource,
        text="Biosafety level",
        kind=BookingQuestion.Kind.CHOICE,
        options="BSL-1\nBSL-2",
        help_text="Of the most hazardous sample you bring.",
        sort_order=0,
    )
    BookingQuestion.objects.create(
        resource=resource,
        text="Are the samples fixed?",
        kind=BookingQuestion.Kind.YES_NO,
        sort_order=1,
    )
    ProjectFactory(code="BIO-2041", name="Organelle contacts", members=[researcher])
    page = browser_page

    page.goto(live_server.url + slot_link(resource))
    page.get_by_label("Email address").fill(researcher.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=f"Book {resource.name}")).to_be_visible()
    page.get_by_label("Biosafety level").select_option("BSL-2")
    page.get_by_role("button", name=f"Book {resource.name}").click()

    fixed = page.get_by_role("group", name="Are the samples fixed?")
    expect(fixed.locator(".field__error")).to_have_text("Error: Answer this question.")
    expect(page.get_by_label("Biosafety level")).to_have_value("BSL-2")
    shot(page, "booking-form-missing-answer")
    fixed.get_by_label("No").check()
    page.get_by_role("button", name=f"Book {resource.name}").click()

    expect(page.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    expect(page.get_by_text("BSL-2")).to_be_visible()
    shot(page, "booking-detail-answers")
    booking = Booking.objects.get(resource=resource)
    assert {a.question_text: a.value for a in booking.answers.all()} == {
        "Biosafety level": "BSL-2",
        "Are the samples fixed?": "no",
    }

    page.context.clear_cookies()
    page.goto(
        live_server.url + reverse("wagtailsnippets_booking_booking:inspect", args=[booking.pk])
    )
    device = two_factor.add_known_authenticator(coordinator, secret="KRSXG5CTMVRXEZLU")
    page.get_by_label("Email address").fill(coordinator.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(two_factor.current_code(device))
    page.get_by_role("button", name="Sign in").click()

    answers = page.locator(".booking-answers")
    expect(answers).to_contain_text("Biosafety level")
    expect(answers).to_contain_text("BSL-2")
    expect(answers).to_contain_text("Are the samples fixed?")
    shot(page, "admin-booking-answers", at=answers)

    page.goto(
        live_server.url + reverse("wagtailsnippets_booking_resource:edit", args=[resource.pk])
    )
    expect(page.get_by_role("heading", name="Booking questions").first).to_be_attached()
    shot(page, "admin-resource-questions", at=page.locator("[name$='-text']").first)
