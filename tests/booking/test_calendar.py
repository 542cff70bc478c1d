import datetime
import zoneinfo

from booking.calendar import covers, merge, opening_intervals, saturated, subtract

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def t(hour: int, minute: int = 0, day: int = 1) -> datetime.datetime:
    return datetime.datetime(2030, 1, day, hour, minute, tzinfo=UTC)


def test_merge_joins_overlapping_and_touching_intervals():
    assert merge([(t(9), t(10)), (t(10), t(11)), (t(12), t(13)), (t(12, 30), t(14))]) == [
        (t(9), t(11)),
        (t(12), t(14)),
    ]


def test_subtract_cuts_holes_and_trims_edges():
    assert subtract([(t(8), t(18))], [(t(7), t(9)), (t(12), t(13)), (t(17), t(19))]) == [
        (t(9), t(12)),
        (t(13), t(17)),
    ]


def test_covers_needs_the_whole_interval_without_a_gap():
    assert covers([(t(9), t(12)), (t(12), t(17))], t(10), t(16))
    assert not covers([(t(9), t(12)), (t(12, 15), t(17))], t(10), t(16))


def test_saturated_finds_where_capacity_is_reached():
    bookings = [(t(9), t(12)), (t(10), t(11)), (t(10, 30), t(13))]
    assert saturated(bookings, 2) == [(t(10), t(12))]
    assert saturated(bookings, 3) == [(t(10, 30), t(11))]


def test_opening_hours_with_no_rows_mean_always_open():
    assert opening_intervals([], t(0), t(23), LONDON) == [(t(0), t(23))]


def test_opening_hours_follow_local_time_across_the_spring_dst_change():
    # 30 March 2030 is a Saturday before the clocks go forward on Sunday 31 March.
    saturday = datetime.datetime(2030, 3, 30, tzinfo=UTC)
    sunday_night = datetime.datetime(2030, 4, 1, tzinfo=UTC)
    hours = [(5, datetime.time(9), datetime.time(17)), (6, datetime.time(9), datetime.time(17))]
    found = opening_intervals(hours, saturday, sunday_night, LONDON)
    assert found == [
        (
            datetime.datetime(2030, 3, 30, 9, tzinfo=UTC),
            datetime.datetime(2030, 3, 30, 17, tzinfo=UTC),
        ),
        (
            datetime.datetime(2030, 3, 31, 8, tzinfo=UTC),
            datetime.datetime(2030, 3, 31, 16, tzinfo=UTC),
        ),
    ]


def test_opening_hours_follow_local_time_across_the_autumn_dst_change():
    # Clocks go back on Sunday 27 October 2030: 09:00 local is 08:00 UTC before, 09:00 after.
    start = datetime.datetime(2030, 10, 26, tzinfo=UTC)
    end = datetime.datetime(2030, 10, 28, tzinfo=UTC)
    hours = [(5, datetime.time(9), datetime.time(10)), (6, datetime.time(9), datetime.time(10))]
    assert opening_intervals(hours, start, end, LONDON) == [
        (
            datetime.datetime(2030, 10, 26, 8, tzinfo=UTC),
            datetime.datetime(2030, 10, 26, 9, tzinfo=UTC),
        ),
        (
            datetime.datetime(2030, 10, 27, 9, tzinfo=UTC),
            datetime.datetime(2030, 10, 27, 10, tzinfo=UTC),
        ),
    ]
