"""A researcher books on the instrument page's time grid: once by dragging from a start to an
end, once with the keyboard only. Both lead to the same booking form, filled in."""

import datetime
import re
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from tests.factories import PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/shots/grid"


def sign_in(page, live_server, user, url: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={quote(url)}")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def cell(page, day: datetime.date, at: str):
    return page.locator(f'td[data-start="{day:%Y-%m-%d}T{at}"]')


def book_the_chosen_time(page) -> Booking:
    page.get_by_role("link", name="Book 10:00–11:30").click()
    expect(page.get_by_role("heading", level=1, name="Book Zeiss LSM 980")).to_be_visible()
    expect(page.locator("[name=start_1]")).to_have_value("10:00")
    expect(page.locator("[name=end_1]")).to_have_value("11:30")
    page.get_by_role("button", name=re.compile("^Book ")).click()
    expect(page.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    return Booking.objects.get()


def test_a_researcher_books_by_dragging_on_the_grid(
    live_server, facility, researcher, browser_page
):
    ProjectFactory(code="BIO-2041", members=[researcher])
    page = browser_page
    day = tomorrow()
    sign_in(page, live_server, researcher, f"{facility.confocal.url}?day={day}&view=week")
    grid = page.get_by_role("grid")
    expect(grid).to_be_visible()
    start = cell(page, day, "10:00")
    start.scroll_into_view_if_needed()
    first, last = start.bounding_box(), cell(page, day, "11:15").bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + first["height"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] / 2, steps=8)
    page.mouse.up()
    expect(page.get_by_text("Chosen: ")).to_contain_text("10:00–11:30 (1 hour 30 minutes)")
    expect(grid.locator("[aria-selected=true]")).to_have_count(6)
    page.screenshot(path=f"{SHOTS}/instrument-grid-1280.png", full_page=True)

    booking = book_the_chosen_time(page)
    local = timezone.localtime(booking.start)
    assert (local.date(), local.time(), booking.end - booking.start) == (
        day,
        datetime.time(10),
        datetime.timedelta(minutes=90),
    )


def test_a_researcher_books_on_the_grid_with_the_keyboard_only(
    live_server, facility, researcher, browser_page
):
    ProjectFactory(code="BIO-2041", members=[researcher])
    page = browser_page
    day = tomorrow()
    sign_in(page, live_server, researcher, f"{facility.confocal.url}?day={day}&view=week")
    expect(page.get_by_role("grid")).to_be_visible()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('td[data-col]')"):
            break
    focused = page.locator("td[data-col]:focus")
    expect(focused).to_have_attribute("data-start", f"{day:%Y-%m-%d}T00:00")
    for _ in range(40):
        page.keyboard.press("ArrowDown")
    expect(focused).to_have_attribute("data-start", f"{day:%Y-%m-%d}T10:00")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Start chosen: ")).to_be_visible()
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    book = page.get_by_role("link", name="Book 10:00–11:30")
    expect(book).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Book Zeiss LSM 980")).to_be_visible()
    expect(page.locator("[name=end_1]")).to_have_value("11:30")
    page.get_by_role("button", name=re.compile("^Book ")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Confirmed: you’re booked")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.end - booking.start == datetime.timedelta(minutes=90)


def test_a_phone_shows_the_list_not_the_grid(live_server, facility, researcher, browser_page):
    ProjectFactory(code="BIO-2041", members=[researcher])
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, researcher, f"{facility.confocal.url}?day={tomorrow()}&view=day")
    expect(page.get_by_role("link", name="Book from 10:00")).to_be_visible()
    expect(page.get_by_role("grid")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/instrument-390.png", full_page=True)
