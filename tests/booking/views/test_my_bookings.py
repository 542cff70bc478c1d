"""My bookings: the agenda by facility day, cancelled ones apart, a series once with "cancel
the rest", the month grid, and the same queries however many bookings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from booking.services import book_series, cancel_booking
from tests.booking.views.screens import book, local

pytestmark = pytest.mark.django_db

MINE = reverse("booking:mine")


def detail(booking: Booking) -> str:
    return reverse("booking:detail", args=[booking.pk])


def held(resource, user, project, start, end, **fields) -> Booking:
    """A booking written directly: a status or time the booking services would not give."""
    return Booking.objects.create(
        resource=resource, user=user, project=project, start=start, end=end, **fields
    )


def weekly_series(resource, user, project, count: int = 3) -> list[Booking]:
    series, _ = book_series(
        user=user,
        resource=resource,
        project=project,
        start=local(1, 10),
        end=local(1, 11),
        rule=f"FREQ=WEEKLY;INTERVAL=1;COUNT={count}",
    )
    return list(Booking.objects.filter(series=series).order_by("start"))


def test_bookings_either_side_of_local_midnight_are_under_their_own_days(
    signed_in, resource, researcher, project
):
    late = held(resource, researcher, project, local(1, 23, 15), local(1, 23, 45))
    early = held(resource, researcher, project, local(2, 0, 15), local(2, 0, 45))

    page = signed_in.get(MINE).text

    tomorrow = page.index(f'id="day-{local(1, 0):%Y-%m-%d}"')
    after = page.index(f'id="day-{local(2, 0):%Y-%m-%d}"')
    assert tomorrow < page.index(detail(late)) < after < page.index(detail(early))
    assert re.search(rf'id="day-{local(1, 0):%Y-%m-%d}">Tomorrow', page)


def test_cancelled_and_declined_bookings_are_out_of_upcoming_and_in_past(
    signed_in, resource, researcher, project
):
    kept = book(resource, researcher, project, local(2, 10), local(2, 11))
    cancelled = cancel_booking(
        booking=book(resource, researcher, project, local(3, 10), local(3, 11)), by=researcher
    )
    rejected = held(
        resource, researcher, project, local(4, 10), local(4, 11), status=Booking.Status.REJECTED
    )

    upcoming = signed_in.get(MINE).text
    past = signed_in.get(MINE, {"show": "past"}).text

    assert detail(kept) in upcoming and detail(kept) not in past
    for gone in (cancelled, rejected):
        assert detail(gone) not in upcoming and detail(gone) in past
    assert "Cancelled" in past and "Rejected" in past
    assert 'value="cancelled"' not in upcoming and 'value="cancelled"' in past


def test_a_series_is_shown_once_with_how_many_remain(signed_in, resource, researcher, project):
    series = weekly_series(resource, researcher, project, count=4)

    page = signed_in.get(MINE).text

    assert detail(series[0]) in page
    assert all(detail(later) not in page for later in series[1:])
    assert "next of 4 still to come" in page
    assert f"{reverse('booking:cancel', args=[series[0].pk])}?scope=following" in page


def test_each_row_offers_change_and_check_in_where_the_rules_allow(
    signed_in, resource, researcher, project
):
    now = timezone.now()
    starting = held(
        resource,
        researcher,
        project,
        now + datetime.timedelta(minutes=5),
        now + datetime.timedelta(minutes=35),
        status=Booking.Status.CONFIRMED,
    )
    later = book(resource, researcher, project, local(5, 10), local(5, 11))

    page = signed_in.get(MINE).text

    assert reverse("booking:check_in", args=[starting.pk]) in page
    assert reverse("booking:check_in", args=[later.pk]) not in page
    assert reverse("booking:change", args=[later.pk]) in page


def test_cancel_the_rest_cancels_only_the_occurrences_still_to_start(
    signed_in, resource, researcher, project
):
    series = weekly_series(resource, researcher, project)
    now = timezone.now()
    under_way = held(
        resource,
        researcher,
        project,
        now - datetime.timedelta(minutes=20),
        now + datetime.timedelta(minutes=20),
        status=Booking.Status.CHECKED_IN,
        series=series[0].series,
    )
    page = signed_in.get(MINE).text
    assert detail(under_way) in page and "next of 4 still to come" in page
    rest = f"{reverse('booking:cancel', args=[series[0].pk])}?scope=following"
    assert rest in page and "Cancel the rest" in page

    chosen = signed_in.get(rest).context["form"]["scope"].value()
    response = signed_in.post(reverse("booking:cancel", args=[series[0].pk]), {"scope": chosen})

    assert response.status_code == 302
    statuses = dict(Booking.objects.filter(series=series[0].series).values_list("pk", "status"))
    assert statuses == {
        under_way.pk: Booking.Status.CHECKED_IN,
        **{each.pk: Booking.Status.CANCELLED for each in series},
    }


def test_cancel_the_rest_refuses_someone_elses_series(signed_in, resource, rival):
    theirs = weekly_series(resource, rival.pi, rival)

    assert detail(theirs[0]) not in signed_in.get(MINE).text
    response = signed_in.post(
        reverse("booking:cancel", args=[theirs[0].pk]), {"scope": "following"}
    )

    assert response.status_code == 404
    assert not Booking.objects.filter(status=Booking.Status.CANCELLED).exists()


def test_the_month_marks_the_days_with_bookings_and_lists_a_chosen_day(
    signed_in, resource, researcher, project
):
    first = book(resource, researcher, project, local(2, 10), local(2, 11))
    second = book(resource, researcher, project, local(2, 14), local(2, 15))
    called_off = cancel_booking(
        booking=book(resource, researcher, project, local(3, 10), local(3, 11)), by=researcher
    )
    month = f"{local(2, 0):%Y-%m}"

    page = signed_in.get(MINE, {"show": "month", "month": month}).text

    marked = re.findall(r"day=(\d{4}-\d\d-\d\d)#day-list", page)
    assert marked == [f"{local(2, 0):%Y-%m-%d}"]  # the cancelled day is not marked
    assert '2<span class="visually-hidden"> bookings on' in page

    day = signed_in.get(MINE, {"show": "month", "month": month, "day": f"{local(2, 0):%Y-%m-%d}"})
    assert detail(first) in day.text and detail(second) in day.text
    assert detail(called_off) not in day.text


def test_the_month_moves_by_a_month_and_survives_a_garbled_one(signed_in, facility):
    page = signed_in.get(MINE, {"show": "month", "month": "2026-12"}).text
    assert "December 2026" in page
    assert "month=2026-11" in page and "month=2027-01" in page
    assert signed_in.get(MINE, {"show": "month", "month": "nope", "day": "x"}).status_code == 200


def test_an_instrument_that_is_down_says_so_on_its_rows(signed_in, resource, researcher, project):
    book(resource, researcher, project, local(2, 10), local(2, 11))
    resource.status = "down"
    resource.save(update_fields=["status"])
    assert "status-badge--down" in signed_in.get(MINE).text


@pytest.mark.parametrize("show", ["", "past", "month"])
def test_each_view_uses_the_same_queries_for_3_or_30_bookings(
    signed_in, facility, researcher, project, show
):
    resources = [facility.confocal.resource, facility.orbitrap.resource]
    weekly_series(resources[0], researcher, project)

    def add(count: int, first: int) -> None:
        for n in range(first, first + count):
            start = local(1, 0) + datetime.timedelta(hours=n)
            if n % 3 == 0:  # some in the past, some cancelled
                start -= datetime.timedelta(days=2)
            held(
                resources[1],
                researcher,
                project,
                start,
                start + datetime.timedelta(minutes=30),
                status=Booking.Status.CANCELLED if n % 4 == 0 else Booking.Status.CONFIRMED,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(MINE, {"show": show}).status_code == 200
        return len(captured)

    signed_in.get(MINE, {"show": show})
    add(3, 0)
    few = queries()
    add(27, 3)
    assert few == queries()
