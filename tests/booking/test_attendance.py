"""Check-in, check-out, the no-show release and the completion sweep, on an explicit clock."""

import datetime
import threading

import pytest
from django.db import connections
from wagtail.models import ModelLogEntry

from booking.models import Booking
from booking.services import (
    AttendanceRefused,
    BookingRefused,
    IllegalTransition,
    cancel_booking,
    check_in,
    check_out,
    complete_finished,
    desk_actions,
    record_attendance,
    release_no_shows,
    request_booking,
)
from tests.booking.conftest import NOW, at
from tests.factories import ProjectFactory, ResourceFactory, UserFactory
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def book(resource, user, project, start, end):
    return request_booking(
        user=user, resource=resource, project=project, start=start, end=end, now=NOW
    )


@pytest.fixture
def booking(instrument, booker, project) -> Booking:
    """Tomorrow 10:00–11:00; check-in window 15 minutes, no-shows released."""
    return book(instrument, booker, project, at(1, 10), at(1, 11))


@pytest.fixture
def stranger(db):
    return UserFactory(email="sam.stranger@example.org")


def reloaded(booking: Booking) -> Booking:
    return Booking.objects.get(pk=booking.pk)


# Check-in.


def test_the_booker_can_check_in_from_fifteen_minutes_before_the_start(booking, booker):
    checked_in = check_in(booking=booking, by=booker, now=at(1, 9, 45))

    assert checked_in.status == Booking.Status.CHECKED_IN
    assert reloaded(booking).checked_in_at == at(1, 9, 45)
    assert ModelLogEntry.objects.filter(
        object_id=str(booking.pk), action="booking.checked_in", user=booker
    ).exists()


def test_check_in_is_refused_before_it_opens(booking, booker):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(booking=booking, by=booker, now=at(1, 9, 44))

    assert refused.value.codes == ["check_in_not_open"]
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_check_in_closes_when_the_check_in_window_has_passed(booking, booker):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(booking=booking, by=booker, now=at(1, 10, 15))

    assert refused.value.codes == ["check_in_closed"]
    assert reloaded(booking).checked_in_at is None


def test_check_in_is_accepted_until_the_last_minute_of_the_window(booking, booker):
    assert check_in(booking=booking, by=booker, now=at(1, 10, 14)).status == "checked_in"


def test_without_no_show_release_check_in_stays_open_until_the_end(instrument, booker, project):
    instrument.release_no_shows = False
    instrument.save()
    late = book(instrument, booker, project, at(1, 10), at(1, 11))

    assert check_in(booking=late, by=booker, now=at(1, 10, 50)).status == "checked_in"
    other = book(instrument, booker, project, at(2, 10), at(2, 11))
    with pytest.raises(AttendanceRefused) as refused:
        check_in(booking=other, by=booker, now=at(2, 11))
    assert refused.value.codes == ["check_in_closed"]


def test_nobody_but_the_booker_can_check_in(booking, stranger):
    with pytest.raises(AttendanceRefused) as refused:
        check_in(booking=booking, by=stranger, now=at(1, 10))

    assert refused.value.codes == ["not_your_booking"]
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_a_refusal_is_a_booking_refusal_with_a_message(booking, stranger):
    with pytest.raises(BookingRefused) as refused:
        check_in(booking=booking, by=stranger, now=at(1, 10))

    assert refused.value.problems[0].message == "Only the person who booked can check in."


def test_a_cancelled_booking_cannot_be_checked_in(booking, booker):
    cancel_booking(booking=booking, by=booker, now=NOW)

    with pytest.raises(IllegalTransition):
        check_in(booking=booking, by=booker, now=at(1, 10))


def test_checking_in_twice_is_an_illegal_transition(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))

    with pytest.raises(IllegalTransition):
        check_in(booking=booking, by=booker, now=at(1, 10, 5))
    assert reloaded(booking).checked_in_at == at(1, 10)


def test_a_booking_awaiting_approval_cannot_be_checked_in(booking, booker):
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.REQUESTED)

    with pytest.raises(IllegalTransition):
        check_in(booking=booking, by=booker, now=at(1, 10))


# Check-out.


def test_checking_out_completes_the_booking_at_that_time(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))

    done = check_out(booking=booking, by=booker, now=at(1, 10, 40))

    assert done.status == Booking.Status.COMPLETED
    assert reloaded(booking).checked_out_at == at(1, 10, 40)
    assert ModelLogEntry.objects.filter(
        object_id=str(booking.pk), action="booking.completed"
    ).exists()


def test_check_out_without_check_in_is_refused(booking, booker):
    with pytest.raises(AttendanceRefused) as refused:
        check_out(booking=booking, by=booker, now=at(1, 10, 30))

    assert refused.value.codes == ["not_checked_in"]
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_nobody_but_the_booker_can_check_out(booking, booker, stranger):
    check_in(booking=booking, by=booker, now=at(1, 10))

    with pytest.raises(AttendanceRefused) as refused:
        check_out(booking=booking, by=stranger, now=at(1, 10, 30))

    assert refused.value.codes == ["not_your_booking"]
    assert reloaded(booking).status == Booking.Status.CHECKED_IN


# The no-show release.


def test_a_booking_not_checked_in_by_the_end_of_its_window_is_a_no_show(booking):
    assert release_no_shows(now=at(1, 10, 15)) == 1

    released = reloaded(booking)
    assert released.status == Booking.Status.NO_SHOW
    assert not released.holds_slot
    assert ModelLogEntry.objects.filter(
        object_id=str(booking.pk), action="booking.no_show", user=None
    ).exists()


def test_the_release_waits_for_the_window_to_close(booking):
    assert release_no_shows(now=at(1, 10, 14)) == 0
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_releasing_twice_is_harmless(booking):
    release_no_shows(now=at(1, 10, 15))

    assert release_no_shows(now=at(1, 10, 16)) == 0
    assert ModelLogEntry.objects.filter(action="booking.no_show").count() == 1


def test_checked_in_bookings_are_not_released(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))

    assert release_no_shows(now=at(1, 10, 30)) == 0
    assert reloaded(booking).status == Booking.Status.CHECKED_IN


def test_a_resource_that_does_not_release_no_shows_keeps_its_bookings(booking, instrument):
    instrument.release_no_shows = False
    instrument.save()

    assert release_no_shows(now=at(1, 10, 30)) == 0
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_each_resource_applies_its_own_window(booking, booker, project):
    patient = ResourceFactory(name="Slow-start cryostat", checkin_window=45)
    slow = book(patient, booker, project, at(1, 10), at(1, 11))

    assert release_no_shows(now=at(1, 10, 30)) == 1
    assert reloaded(booking).status == Booking.Status.NO_SHOW
    assert reloaded(slow).status == Booking.Status.CONFIRMED


def test_a_released_slot_can_be_booked_by_someone_else(booking, instrument, stranger):
    project = ProjectFactory(members=[stranger])
    with pytest.raises(BookingRefused):
        request_booking(
            user=stranger,
            resource=instrument,
            project=project,
            start=at(1, 10, 30),
            end=at(1, 11),
            now=at(1, 10, 15),
        )

    release_no_shows(now=at(1, 10, 15))
    taken_over = request_booking(
        user=stranger,
        resource=instrument,
        project=project,
        start=at(1, 10, 30),
        end=at(1, 11),
        now=at(1, 10, 15),
    )
    assert taken_over.status == Booking.Status.CONFIRMED


# Completion.


def test_a_checked_in_booking_past_its_end_is_completed_at_its_end(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))

    assert complete_finished(now=at(1, 11)) == 1

    done = reloaded(booking)
    assert done.status == Booking.Status.COMPLETED
    assert done.checked_out_at == at(1, 11)


def test_a_booking_still_running_is_not_completed(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))

    assert complete_finished(now=at(1, 10, 59)) == 0
    assert reloaded(booking).status == Booking.Status.CHECKED_IN


def test_without_no_show_release_a_past_confirmed_booking_is_completed(booking, instrument):
    instrument.release_no_shows = False
    instrument.save()

    assert complete_finished(now=at(1, 11)) == 1
    done = reloaded(booking)
    assert done.status == Booking.Status.COMPLETED
    assert done.checked_in_at is None and done.checked_out_at is None


def test_completion_leaves_unattended_bookings_to_the_no_show_release(booking):
    assert complete_finished(now=at(1, 12)) == 0
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_completing_twice_is_harmless(booking, booker):
    check_in(booking=booking, by=booker, now=at(1, 10))
    complete_finished(now=at(1, 11))

    assert complete_finished(now=at(1, 12)) == 0
    assert ModelLogEntry.objects.filter(action="booking.completed").count() == 1


# Two sweeps at once.


@pytest.mark.django_db(transaction=True)
def test_concurrent_releases_release_each_booking_exactly_once():
    resource = ResourceFactory(name="Plate reader")
    user = UserFactory()
    project = ProjectFactory(members=[user])
    bookings = [book(resource, user, project, at(1, 8 + n), at(1, 9 + n)) for n in range(8)]
    runners = 4
    barrier = threading.Barrier(runners)
    released: list[int] = []
    errors: list[BaseException] = []

    def sweep():
        try:
            barrier.wait()
            released.append(release_no_shows(now=at(2, 0)))
        except BaseException as error:  # recorded so the assertion shows it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(released) == len(bookings)
    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.NO_SHOW}
    assert ModelLogEntry.objects.filter(action="booking.no_show").count() == len(bookings)


# Staff at the desk: check in, check out or a no-show for the booker, with a reason.


def desk(booking, by, action, now, reason="Came to the desk"):
    return record_attendance(booking=booking, by=by, action=action, reason=reason, now=now)


def test_staff_check_the_booker_in_with_a_reason_that_the_log_keeps(booking, site_admin):
    checked_in = desk(booking, site_admin, "check_in", at(1, 10, 5), "Badge reader broken")

    assert checked_in.status == Booking.Status.CHECKED_IN
    assert reloaded(booking).checked_in_at == at(1, 10, 5)
    entry = ModelLogEntry.objects.get(object_id=str(booking.pk), action="booking.checked_in")
    assert entry.user == site_admin
    assert entry.data["attendance_reason"] == "Badge reader broken"
    assert entry.data["by_staff"] == site_admin.name


def test_staff_check_in_late_after_the_window_until_the_booking_ends(booking, site_admin):
    assert desk(booking, site_admin, "check_in", at(1, 10, 50)).status == "checked_in"


def test_staff_check_the_booker_out(booking, booker, site_admin):
    check_in(booking=booking, by=booker, now=at(1, 10))

    completed = desk(booking, site_admin, "check_out", at(1, 10, 40), "Left in a hurry")

    assert completed.status == Booking.Status.COMPLETED
    assert reloaded(booking).checked_out_at == at(1, 10, 40)


def test_staff_record_a_no_show_and_the_booker_is_told_why(booking, booker, site_admin):
    desk(booking, site_admin, "no_show", at(1, 10, 10), "Not seen; phoned, no answer")

    assert reloaded(booking).status == Booking.Status.NO_SHOW
    told = OutboxMessage.objects.get(recipient=booker, event="booking_no_show")
    assert "Not seen; phoned, no answer" in str(told.context)


@pytest.mark.parametrize(
    ("action", "when", "code"),
    [
        ("check_in", at(1, 9, 30), "check_in_not_open"),
        ("check_in", at(1, 11), "booking_over"),
        ("no_show", at(1, 9, 55), "not_started"),
        ("check_out", at(1, 10, 5), "not_checked_in"),
        ("dance", at(1, 10, 5), "unknown_action"),
    ],
)
def test_staff_are_refused_at_the_wrong_moment_and_nothing_changes(
    booking, site_admin, action, when, code
):
    with pytest.raises((AttendanceRefused, IllegalTransition)) as refused:
        desk(booking, site_admin, action, when)

    assert refused.value.codes == [code]
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_a_reason_is_required(booking, site_admin):
    with pytest.raises(AttendanceRefused) as refused:
        desk(booking, site_admin, "check_in", at(1, 10), "  ")

    assert refused.value.codes == ["reason_missing"]
    assert refused.value.problems[0].field == "reason"
    assert reloaded(booking).status == Booking.Status.CONFIRMED


def test_a_coordinator_of_another_lab_is_refused(booking, coordinator):
    with pytest.raises(AttendanceRefused) as refused:
        desk(booking, coordinator, "no_show", at(1, 10, 30))

    assert refused.value.codes == ["not_lab_staff"] and refused.value.status == 403
    assert reloaded(booking).status == Booking.Status.CONFIRMED
    assert not ModelLogEntry.objects.filter(action="booking.no_show").exists()


def test_the_booker_cannot_record_their_own_attendance_this_way(booking, booker):
    with pytest.raises(AttendanceRefused) as refused:
        desk(booking, booker, "check_in", at(1, 10))

    assert refused.value.codes == ["not_lab_staff"]


def test_the_actions_offered_are_those_the_service_accepts(booking, booker, site_admin):
    assert desk_actions(booking, site_admin, at(1, 9)) == []
    assert desk_actions(booking, site_admin, at(1, 10, 5)) == ["check_in", "no_show"]
    check_in(booking=booking, by=booker, now=at(1, 10))
    assert desk_actions(reloaded(booking), site_admin, at(1, 10, 5)) == ["check_out"]
