"""The availability view: what is busy (without anyone else's details) and which slots are free."""

import datetime

import pytest

from booking.availability import DAY, WEEK, availability, slots_in, suggested_length
from booking.models import Booking, Closure, MaintenanceWindow, OpeningHours
from booking.queries import busy_blocks
from tests.booking.conftest import LONDON, NOW, at
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

T = datetime.time


def book(instrument, user, project, start, end, status=Booking.Status.CONFIRMED) -> Booking:
    return Booking.objects.create(
        resource=instrument,
        user=user,
        project=project,
        start=start,
        end=end,
        status=status,
        exclusive=instrument.is_exclusive,
    )


@pytest.fixture
def rival(db):
    return ProjectFactory(code="RIVAL-1", pi=UserFactory(first_name="Rita", last_name="Rival"))


def day_view(instrument, viewer, offset: int = 1, now=NOW):
    shown = availability(instrument, day=at(offset, 0).date(), view=DAY, viewer=viewer, now=now)
    return shown.days[0]


def entries(day) -> list[tuple[str, str, str]]:
    return [(f"{e.start:%H:%M}", f"{e.end:%H:%M}", e.kind) for e in day.entries]


# Busy time.


def test_someone_elses_booking_is_only_booked(instrument, booker, rival):
    book(instrument, rival.pi, rival, at(1, 10), at(1, 11))

    [block] = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker)

    assert (block.kind, block.label, block.booking_id) == ("booked", "Booked", None)
    assert "Rita" not in repr(block) and "RIVAL" not in repr(block)


def test_the_viewers_own_bookings_are_marked_as_theirs(instrument, booker, project):
    mine = book(instrument, booker, project, at(1, 10), at(1, 11))
    waiting = book(
        instrument, booker, project, at(1, 12), at(1, 13), status=Booking.Status.REQUESTED
    )

    blocks = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker)

    assert [(b.label, b.booking_id) for b in blocks] == [
        ("Your booking", mine.pk),
        ("Your booking (awaiting approval)", waiting.pk),
    ]


def test_an_anonymous_viewer_sees_every_booking_as_booked(instrument, booker, project):
    book(instrument, booker, project, at(1, 10), at(1, 11))
    [block] = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=None)
    assert block.label == "Booked"


def test_adjacent_bookings_of_others_show_as_one_block(instrument, booker, rival):
    book(instrument, rival.pi, rival, at(1, 10), at(1, 11))
    other = ProjectFactory()
    book(instrument, other.pi, other, at(1, 11), at(1, 12))

    [block] = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker)

    assert (block.start, block.end) == (at(1, 10), at(1, 12))


def test_released_bookings_are_not_busy(instrument, booker, rival):
    book(instrument, rival.pi, rival, at(1, 10), at(1, 11), status=Booking.Status.CANCELLED)
    assert busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker) == []


def test_closures_and_maintenance_show_their_reason(instrument, booker):
    Closure.objects.create(
        resource=instrument, starts_at=at(1, 8), ends_at=at(1, 9), reason="Fire drill"
    )
    MaintenanceWindow.objects.create(
        resource=instrument, starts_at=at(1, 14), ends_at=at(1, 16), reason="Laser alignment"
    )

    blocks = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker)

    assert [(b.kind, b.label) for b in blocks] == [
        ("closed", "Closed: Fire drill"),
        ("maintenance", "Maintenance: Laser alignment"),
    ]


def test_a_shared_bench_is_busy_only_where_every_seat_is_taken(instrument, booker, project):
    instrument.capacity = 2
    instrument.save()
    for code in ("A-1", "A-2"):
        other = ProjectFactory(code=code)
        book(instrument, other.pi, other, at(1, 10), at(1, 12) if code == "A-1" else at(1, 11))

    [block] = busy_blocks(instrument, at(1, 0), at(2, 0), viewer=booker)

    assert (block.kind, block.start, block.end) == ("full", at(1, 10), at(1, 11))


# Slots.


def test_slots_start_on_the_granularity_and_leave_room_for_the_minimum(instrument):
    instrument.granularity = 30
    instrument.min_duration = 60
    slots = slots_in(
        instrument, at(1, 9, 10), at(1, 11), earliest=NOW, latest=NOW + datetime.timedelta(days=9)
    )
    assert [f"{slot.start:%H:%M}" for slot in slots] == ["09:30", "10:00"]


def test_a_slot_suggests_an_hour_within_the_resources_limits(instrument):
    assert suggested_length(instrument) == datetime.timedelta(hours=1)
    instrument.min_duration = 90
    assert suggested_length(instrument) == datetime.timedelta(minutes=90)
    instrument.min_duration, instrument.max_duration = 15, 45
    assert suggested_length(instrument) == datetime.timedelta(minutes=45)


def test_a_suggested_end_never_runs_into_busy_time(instrument):
    slots = slots_in(
        instrument, at(1, 9), at(1, 9, 30), earliest=NOW, latest=NOW + datetime.timedelta(days=9)
    )
    assert [(f"{s.start:%H:%M}", f"{s.end:%H:%M}") for s in slots] == [
        ("09:00", "09:30"),
        ("09:15", "09:30"),
    ]


# The day view.


def test_a_day_lists_busy_time_and_free_periods_within_opening_hours(
    instrument, booker, project, rival
):
    OpeningHours.objects.create(
        resource=instrument, weekday=at(1, 0).weekday(), opens=T(9), closes=T(17)
    )
    book(instrument, rival.pi, rival, at(1, 10), at(1, 11))
    book(instrument, booker, project, at(1, 13), at(1, 14))

    day = day_view(instrument, booker)

    assert entries(day) == [
        ("09:00", "10:00", "free"),
        ("10:00", "11:00", "booked"),
        ("11:00", "13:00", "free"),
        ("13:00", "14:00", "own"),
        ("14:00", "17:00", "free"),
    ]
    first = day.entries[0]
    assert [f"{slot.start:%H:%M}" for slot in first.slots] == ["09:00", "09:15", "09:30", "09:45"]
    assert first.slots[0].end == at(1, 10)


def test_times_are_local_to_the_facility(instrument, booker):
    day = day_view(instrument, booker)
    assert day.entries[0].start.tzinfo.key == "Europe/London"


def test_the_minimum_notice_and_the_past_offer_no_slots(instrument, booker):
    instrument.min_notice = 120
    day = day_view(instrument, booker, offset=0)
    assert day.entries[0].slots[0].start == at(0, 11)


def test_a_day_with_no_opening_hours_says_it_is_closed(instrument, booker):
    OpeningHours.objects.create(
        resource=instrument, weekday=at(2, 0).weekday(), opens=T(9), closes=T(17)
    )
    day = day_view(instrument, booker)
    assert day.entries == [] and day.note == "Closed all day."


def test_days_beyond_the_horizon_say_when_they_open(instrument, booker):
    instrument.horizon_days = 7
    day = day_view(instrument, booker, offset=10)
    assert day.entries == []
    assert day.note == f"Bookings open 7 days ahead: from {at(3, 0):%-d %B}."


def test_past_days_say_so(instrument, booker):
    assert day_view(instrument, booker, offset=-1).note == "This day has passed."


def test_the_day_the_clocks_go_forward_has_each_real_slot_once(instrument, booker):
    instrument.granularity = 60
    spring = datetime.date(2030, 3, 31)
    shown = availability(instrument, day=spring, view=DAY, viewer=booker, now=NOW)
    starts = [f"{slot.start:%H:%M}" for entry in shown.days[0].entries for slot in entry.slots]
    assert len(starts) == 23 and "01:00" not in starts and starts[:2] == ["00:00", "02:00"]


# The week view.


def test_a_week_is_the_seven_days_from_the_chosen_day(instrument, booker):
    shown = availability(instrument, day=at(1, 0).date(), view=WEEK, viewer=booker, now=NOW)
    assert [day.date for day in shown.days] == [at(n, 0).date() for n in range(1, 8)]
    assert shown.previous == at(-6, 0).date() and shown.next == at(8, 0).date()


def test_an_unknown_view_shows_one_day(instrument, booker):
    shown = availability(instrument, day=NOW.date(), view="month", viewer=booker, now=NOW)
    assert shown.view == DAY and len(shown.days) == 1 and shown.days[0].is_today


def test_the_day_view_starts_at_midnight_local_time(instrument, booker):
    day = day_view(instrument, booker)
    assert day.entries[0].start == datetime.datetime.combine(at(1, 0).date(), T(0), LONDON)
    assert day.entries[-1].ends_at_midnight
