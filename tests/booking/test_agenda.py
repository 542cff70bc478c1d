"""The agenda's grouping by the facility's local day and its one entry per series."""

import datetime
import zoneinfo

from booking.agenda import by_day, collapsed, month_bounds, month_weeks, parse_month
from booking.models import Booking

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = datetime.UTC


def utc(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 7, day, hour, minute, tzinfo=UTC)


def unsaved(start: datetime.datetime, series_id: int | None = None, pk: int = 0) -> Booking:
    return Booking(
        pk=pk, start=start, end=start + datetime.timedelta(minutes=30), series_id=series_id
    )


def test_days_are_the_facility_days_not_utc_days():
    now = utc(1, 21, 30)  # 23:30 in Berlin
    before_midnight = unsaved(utc(1, 21, 45))  # 23:45 in Berlin, today
    after_midnight = unsaved(utc(1, 22, 15))  # 00:15 in Berlin, tomorrow; the same UTC day
    later = unsaved(utc(4, 8))

    days = by_day(
        [before_midnight, after_midnight, later], start=lambda b: b.start, now=now, zone=BERLIN
    )

    assert [(day.label, day.items) for day in days] == [
        ("Today", [before_midnight]),
        ("Tomorrow", [after_midnight]),
        ("", [later]),
    ]
    assert days[2].date == datetime.date(2026, 7, 4)


def test_a_booking_under_way_since_yesterday_sits_under_today():
    now = utc(2, 6)
    overnight = unsaved(utc(1, 20))
    [day] = by_day([overnight], start=lambda b: b.start, now=now, zone=BERLIN)
    assert day.label == "Today" and day.date == datetime.date(2026, 7, 2)


def test_a_series_is_one_entry_at_its_next_date_with_how_many_remain():
    now = utc(1, 12)
    one_off = unsaved(utc(2, 8), pk=1)
    weekly = [unsaved(utc(day, 9), series_id=7, pk=10 + day) for day in (3, 10, 17)]

    entries = collapsed([one_off, *weekly], now=now)

    assert [(e.booking, e.remaining, e.rest) for e in entries] == [
        (one_off, 1, None),
        (weekly[0], 3, weekly[0]),
    ]


def test_the_rest_of_a_series_starts_after_the_occurrence_under_way():
    now = utc(3, 9, 15)
    weekly = [unsaved(utc(day, 9), series_id=7, pk=day) for day in (3, 10)]
    [entry] = collapsed(weekly, now=now)
    assert entry.booking == weekly[0] and entry.rest == weekly[1] and entry.remaining == 2


def test_the_month_runs_from_monday_and_marks_the_booked_days():
    first = parse_month("2026-07", today=datetime.date(2026, 1, 5))
    weeks = month_weeks(first, {datetime.date(2026, 7, 14): 2}, today=datetime.date(2026, 7, 1))

    assert weeks[0][0].date == datetime.date(2026, 6, 29) and not weeks[0][0].in_month
    marked = [cell for week in weeks for cell in week if cell.booked]
    assert [(cell.date, cell.booked) for cell in marked] == [(datetime.date(2026, 7, 14), 2)]
    assert [cell.date for week in weeks for cell in week if cell.is_today] == [first]


def test_a_garbled_month_is_this_month_and_bounds_are_local_midnights():
    assert parse_month("July", today=datetime.date(2026, 3, 9)) == datetime.date(2026, 3, 1)
    start, end = month_bounds(datetime.date(2026, 3, 1), BERLIN)
    assert start == datetime.datetime(2026, 2, 28, 23, tzinfo=UTC)
    assert end == datetime.datetime(2026, 3, 31, 22, tzinfo=UTC)  # after the clocks go forward
