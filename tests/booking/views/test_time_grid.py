"""The instrument page's time grid: rows of the resource's granularity, what holds the
resource drawn once and as tall as it lasts, one's own bookings marked and linked, and only
free times the rules allow offered as starts."""

import re

from django.urls import reverse

from booking.time_grid import row_minutes
from tests.booking.views.screens import book, local


def grid_of(client, facility, day) -> str:
    page = client.get(facility.confocal.url, {"day": day.date(), "view": "week"}).text
    return page[page.index("data-time-grid") : page.index("data-time-grid-choice")]


def test_a_booking_is_one_block_as_tall_as_it_lasts_and_ones_own_is_marked(
    signed_in, facility, resource, researcher, project, rival
):
    mine = book(resource, researcher, project, local(2, 10), local(2, 11, 30))
    book(resource, rival.pi, rival, local(2, 13), local(2, 14))
    grid = grid_of(signed_in, facility, local(2, 0))

    own = re.search(r'<td class="[^"]*entry--own" rowspan="(\d+)"[^>]*data-href="([^"]+)"', grid)
    other = re.search(r'<td class="[^"]*entry--booked" rowspan="(\d+)"', grid)
    assert own and own.groups() == ("6", reverse("booking:detail", args=[mine.pk]))
    assert other and other.group(1) == "4"
    assert "Rita" not in grid  # another person's booking is only "Booked"


def test_free_rows_offer_starts_only_where_the_rules_allow(signed_in, facility, resource, project):
    resource.min_notice = 0
    resource.save()
    grid = grid_of(signed_in, facility, local(2, 0))
    day = f"{local(2, 0):%Y-%m-%d}"
    assert f'data-start="{day}T10:00"' in grid
    assert f'data-slot-end="{day}T11:00"' in grid  # a click books the usual hour


def test_someone_who_cannot_book_yet_is_offered_no_start(client, facility, researcher):
    client.force_login(researcher)  # no project
    grid = grid_of(client, facility, local(2, 0))
    assert "data-slot-end" not in grid and "you can’t book it yet" in grid


def test_rows_are_at_least_a_quarter_of_an_hour_on_the_granularity():
    assert [row_minutes(g) for g in (5, 10, 15, 20, 30, 60)] == [15, 20, 15, 20, 30, 60]
