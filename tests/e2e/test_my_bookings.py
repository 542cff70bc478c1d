"""At phone width a researcher opens My bookings, finds a repeating booking shown once,
switches to the month, opens a booked day, and cancels the rest of the series. A second
pass photographs the agenda and the month at desktop width."""

import os

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from booking.models import Booking
from booking.services import book_series, cancel_booking
from tests.booking.views.screens import book, local
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots/my-bookings"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def series(facility, researcher) -> list[Booking]:
    """Rosa's weekly confocal session, a one-off on the (limited) Orbitrap, one cancelled."""
    project = ProjectFactory(code="BIO-2041", members=[researcher])
    made, _ = book_series(
        user=researcher,
        resource=facility.confocal.resource,
        project=project,
        start=local(1, 10),
        end=local(1, 11),
        rule="FREQ=WEEKLY;INTERVAL=1;COUNT=4",
    )
    orbitrap = facility.orbitrap.resource
    book(orbitrap, researcher, project, local(2, 14), local(2, 15))
    cancel_booking(
        booking=book(orbitrap, researcher, project, local(3, 9), local(3, 10)), by=researcher
    )
    orbitrap.status, orbitrap.status_note = "limited", "Running at half resolution"
    orbitrap.save(update_fields=["status", "status_note"])
    return list(Booking.objects.filter(series=made).order_by("start"))


def signed_in_page(chromium, live_server, viewport, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return page


def shot(page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def fits(page) -> bool:
    """Nothing wider than the window: no sideways scrolling at phone width."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_researcher_cancels_the_rest_of_a_series_at_phone_width(
    live_server, chromium, researcher, series
):
    page = signed_in_page(chromium, live_server, PHONE, researcher)
    page.goto(live_server.url + reverse("booking:mine"))

    expect(page.get_by_role("heading", level=1, name="My bookings")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Tomorrow")).to_be_visible()
    expect(page.get_by_text("next of 4 still to come")).to_be_visible()
    expect(page.get_by_text("Limited")).to_be_visible()
    shot(page, "phone-1-agenda")
    assert fits(page)

    page.get_by_role("navigation", name="My bookings views").get_by_role(
        "link", name="Month"
    ).click()
    grid = page.get_by_role("table")
    expect(grid).to_be_visible()
    assert fits(page)
    shot(page, "phone-2-month")
    day = local(1, 0)
    if day.month != local(0, 0).month:
        page.get_by_role("link", name="Next month").click()
    booked = page.get_by_role("link", name=f"1 booking on {day:%A} {day.day} {day:%B}")
    booked.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", level=2, name=f"{day:%A} {day.day} {day:%B %Y}")
    ).to_be_visible()
    shot(page, "phone-3-day")

    page.get_by_role("link", name="Upcoming").click()
    page.get_by_role("link", name="Cancel the rest of the series on Zeiss LSM 980").click()
    expect(page.get_by_label("This one and the later ones in the series")).to_be_checked()
    shot(page, "phone-4-cancel-the-rest")
    page.get_by_role("button", name="Cancel booking").click()

    expect(page.get_by_text("4 bookings of the series are cancelled.")).to_be_visible()
    statuses = set(Booking.objects.filter(series=series[0].series).values_list("status", flat=True))
    assert statuses == {Booking.Status.CANCELLED}
    page.goto(live_server.url + reverse("booking:mine"))
    expect(page.get_by_text("next of 4 still to come")).to_have_count(0)
    page.context.close()


def test_my_bookings_at_desktop_width(live_server, chromium, researcher, series):
    page = signed_in_page(chromium, live_server, DESKTOP, researcher)
    for show, name in (
        ("", "desktop-1-agenda"),
        ("month", "desktop-2-month"),
        ("past", "desktop-3-past"),
    ):
        page.goto(f"{live_server.url}{reverse('booking:mine')}?show={show}")
        expect(page.get_by_role("heading", level=1, name="My bookings")).to_be_visible()
        assert fits(page)
        shot(page, name)
    page.context.close()
