"""A coordinator clicks empty hours of the lab schedule: one to block it for maintenance,
another to book it for a researcher; each screen opens filled in with the instrument and the
hour, and the schedule then shows both."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, MaintenanceWindow
from people.roles import Role
from tests.conftest import make_coordinator
from tests.e2e.test_close_a_month import sign_in_as_staff
from tests.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/grid"


def test_a_coordinator_blocks_an_hour_and_books_another_from_the_schedule(
    live_server, facility, browser_page
):
    rosa = UserFactory(first_name="Rosa", last_name="Franklin", roles=[Role.RESEARCHER])
    ProjectFactory(code="BIO-2041", name="Live-cell imaging", members=[rosa])
    cora = make_coordinator(facility.imaging_lab, first_name="Cora", last_name="Coordinator")
    day = timezone.localdate() + datetime.timedelta(days=1)
    schedule = f"{live_server.url}{reverse('lab_schedule:index')}?date={day}&view=day"
    page = browser_page
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    sign_in_as_staff(page, cora)

    page.goto(schedule)
    page.get_by_role(
        "link", name="10:00–11:00 on Zeiss LSM 980: book for a researcher or block it"
    ).click()
    menu = page.get_by_role("dialog", name="10:00–11:00 on Zeiss LSM 980")
    expect(menu).to_be_visible()
    page.screenshot(path=f"{SHOTS}/lab-schedule-menu-1280.png", full_page=True)
    menu.get_by_role("link", name="Block 10:00–11:00 on Zeiss LSM 980").click()
    page.get_by_role("textbox", name="Reason").fill("Laser alignment")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("'Laser alignment' scheduled")).to_be_visible()
    window = MaintenanceWindow.objects.get()
    start = timezone.localtime(window.starts_at)
    assert (start.date(), start.time(), window.ends_at - window.starts_at) == (
        day,
        datetime.time(10),
        datetime.timedelta(hours=1),
    )

    page.goto(schedule)
    expect(page.get_by_role("link", name="Maintenance: Laser alignment")).to_be_visible()
    page.get_by_role(
        "link", name="14:00–15:00 on Zeiss LSM 980: book for a researcher or block it"
    ).click()
    page.get_by_role("link", name="Book 14:00–15:00 on Zeiss LSM 980 for a researcher").click()
    expect(page.get_by_label("Start")).to_have_value(f"{day}T14:00")
    expect(page.get_by_label("End")).to_have_value(f"{day}T15:00")
    page.get_by_label("Researcher").select_option(label="Rosa Franklin")
    page.get_by_label("Project").select_option(label="BIO-2041 · Live-cell imaging")
    page.get_by_role("button", name="Book for the researcher").click()
    expect(page.get_by_text("Booked by Cora Coordinator for Rosa Franklin.")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.user == rosa and timezone.localtime(booking.start).time() == datetime.time(14)

    page.goto(schedule)
    booked = re.compile(r"^\d\d:\d\d–\d\d:\d\d Rosa Franklin")
    expect(page.get_by_role("link", name=booked)).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        page.screenshot(path=f"{SHOTS}/lab-schedule-{width}.png", full_page=True)
