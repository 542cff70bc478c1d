"""Recurring series: every occurrence gets its own verdict; the free ones are booked together."""

import datetime

import pytest

from booking.models import Booking, BookingSeries, Closure
from booking.recurrence import InvalidRule, Recurrence, occurrences
from booking.services import BookingRefused, book_series, cancel_series, preview_series
from labitory.clock import facility_zone
from tests.booking.conftest import NOW, at

pytestmark = pytest.mark.django_db

WEEKLY_4 = Recurrence("WEEKLY", count=4).as_rrule()


def test_rules_are_built_as_rfc5545_text():
    rule = Recurrence("WEEKLY", interval=2, weekdays=("WE", "MO"), count=6).as_rrule()
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    until = Recurrence("DAILY", until=datetime.date(2030, 4, 1)).as_rrule()
    assert until == "FREQ=DAILY;INTERVAL=1;UNTIL=20300401T235959"


@pytest.mark.parametrize(
    "recurrence",
    [
        Recurrence("YEARLY", count=2),
        Recurrence("WEEKLY"),
        Recurrence("WEEKLY", count=3, until=datetime.date(2030, 5, 1)),
        Recurrence("DAILY", count=500),
        Recurrence("WEEKLY", interval=0, count=2),
        Recurrence("WEEKLY", weekdays=("XX",), count=2),
    ],
)
def test_unusable_rules_are_refused_with_a_reason(recurrence):
    with pytest.raises(InvalidRule):
        recurrence.as_rrule()


def test_an_endless_rule_typed_by_hand_is_refused():
    with pytest.raises(InvalidRule):
        occurrences("FREQ=DAILY", at(1, 10), at(1, 11), facility_zone())


def test_weekly_occurrences_keep_local_time_across_the_dst_change():
    # 25 March 2030 is a Monday; clocks go forward on Sunday 31 March.
    zone = facility_zone()
    start = datetime.datetime(2030, 3, 25, 10, tzinfo=zone)
    found = occurrences(WEEKLY_4, start, start + datetime.timedelta(hours=1), zone)
    assert [s.astimezone(zone).hour for s, _ in found] == [10, 10, 10, 10]
    assert [s.astimezone(datetime.UTC).hour for s, _ in found] == [10, 9, 9, 9]


def test_the_first_booking_is_the_first_occurrence_even_off_the_weekdays():
    rule = Recurrence("WEEKLY", weekdays=("WE",), count=2).as_rrule()
    found = occurrences(rule, at(1, 10), at(1, 11), facility_zone())  # a Tuesday
    assert [s for s, _ in found] == [at(1, 10), at(2, 10), at(9, 10)]


def test_preview_gives_each_occurrence_its_verdict_and_writes_nothing(instrument, booker, project):
    Closure.objects.create(
        lab=instrument.lab, starts_at=at(8, 0), ends_at=at(9, 0), reason="Easter"
    )
    found = preview_series(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        rule=WEEKLY_4,
        now=NOW,
    )
    assert [o.is_free for o in found] == [True, False, True, True]
    assert found[1].problems[0].code == "closed"
    assert not Booking.objects.exists() and not BookingSeries.objects.exists()


def test_booking_a_series_books_the_free_occurrences_together(instrument, booker, project):
    Closure.objects.create(
        lab=instrument.lab, starts_at=at(8, 0), ends_at=at(9, 0), reason="Easter"
    )
    series, found = book_series(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        rule=WEEKLY_4,
        now=NOW,
    )
    booked = Booking.objects.filter(series=series).order_by("start")
    assert [b.start for b in booked] == [at(1, 10), at(15, 10), at(22, 10)]
    assert series.rule == WEEKLY_4 and series.created_by == booker


def test_later_occurrences_count_earlier_ones_against_the_quota(instrument, booker, project):
    instrument.max_future_bookings = 2
    instrument.save()
    found = preview_series(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        rule=WEEKLY_4,
        now=NOW,
    )
    assert [o.problems[0].code if o.problems else "free" for o in found] == [
        "free",
        "free",
        "too_many_bookings",
        "too_many_bookings",
    ]


def test_a_series_with_no_free_occurrence_is_refused(instrument, booker):
    with pytest.raises(BookingRefused) as refused:
        book_series(
            user=booker,
            resource=instrument,
            project=None,
            start=at(1, 10),
            end=at(1, 11),
            rule=WEEKLY_4,
            now=NOW,
        )
    assert refused.value.codes == ["unknown_project"]
    assert not BookingSeries.objects.exists()


@pytest.mark.parametrize(("scope", "left"), [("one", 3), ("following", 1), ("all", 0)])
def test_cancelling_one_following_or_all(instrument, booker, project, scope, left):
    series, _ = book_series(
        user=booker,
        resource=instrument,
        project=project,
        start=at(1, 10),
        end=at(1, 11),
        rule=WEEKLY_4,
        now=NOW,
    )
    second = Booking.objects.filter(series=series).order_by("start")[1]
    cancel_series(booking=second, by=booker, scope=scope, now=NOW)
    assert Booking.objects.filter(series=series, status=Booking.Status.CONFIRMED).count() == left
