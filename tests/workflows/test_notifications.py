"""Booking events write a message to the people they concern, with the right wording."""

import datetime

import icalendar
import pytest
from django.db import transaction

from booking.models import Booking, BookingQuestion, OpeningHours
from booking.services import (
    cancel_booking,
    change_booking,
    join_waitlist,
    offer_freed_slot,
    release_no_shows,
    request_booking,
    schedule_maintenance,
    transition,
)
from tests.factories import ProjectFactory, UserFactory
from tests.workflows.helpers import make_rule
from workflows.models import ApprovalStep, OutboxMessage
from workflows.outbox import write
from workflows.preferences import update_preferences

from .conftest import NOW, at

pytestmark = pytest.mark.django_db


def book(instrument, booker, project, start=None, end=None) -> Booking:
    return request_booking(
        user=booker,
        resource=instrument,
        project=project,
        start=start or at(1, 10),
        end=end or at(1, 11),
        now=NOW,
    )


def book_needing_approval(instrument, booker, project) -> Booking:
    """Tuesday 18:00-19:00, outside the instrument's opening hours: a request, not a booking."""
    instrument.allow_outside_hours = True
    instrument.save()
    OpeningHours.objects.create(
        resource=instrument,
        weekday=OpeningHours.Weekday.TUESDAY,
        opens=datetime.time(9),
        closes=datetime.time(17),
    )
    return book(instrument, booker, project, at(1, 18), at(1, 19))


def messages_for(user, event: str) -> list[OutboxMessage]:
    """The user's messages for `event`, worded as the worker will word them."""
    found = OutboxMessage.objects.filter(recipient=user, event=event).order_by("pk")
    return [write(message) for message in found]


def only(user, event: str) -> OutboxMessage:
    found = messages_for(user, event)
    assert len(found) == 1, f"{len(found)} {event} messages"
    return found[0]


def calendar_of(message: OutboxMessage) -> icalendar.Event:
    [(filename, content, mimetype)] = message.attachment_files()
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [event] = icalendar.Calendar.from_ical(content).events
    return event


def test_a_confirmed_booking_sends_a_confirmation_with_a_calendar_file(instrument, booker, project):
    booking = book(instrument, booker, project)

    message = only(booker, "booking_confirmed")
    assert message.subject == (
        "Confirmed: Confocal LSM 980, Tuesday 5 March 2030, 10:00–11:00 (Europe/London)"
    )
    assert "Project: BIO-2041" in message.text_body
    assert f"/bookings/{booking.pk}/" in message.text_body
    event = calendar_of(message)
    assert event["UID"] == f"booking-{booking.pk}@labitory"
    assert event["STATUS"] == "CONFIRMED"
    assert event.start == at(1, 10)
    assert event.start.tzinfo.key == "Europe/London"


def test_a_request_that_needs_approval_says_why(instrument, booker, project):
    booking = book_needing_approval(instrument, booker, project)

    assert booking.status == Booking.Status.REQUESTED
    message = only(booker, "booking_requested")
    assert message.subject.startswith("Waiting for approval: Confocal LSM 980")
    assert "  - Outside opening hours" in message.text_body
    assert not messages_for(booker, "booking_confirmed")


def test_a_rejection_gives_the_reason(instrument, booker, project, approver):
    booking = book_needing_approval(instrument, booker, project)

    with transaction.atomic():
        transition(booking, Booking.Status.REJECTED, by=approver, cancel_reason="No night staff.")

    message = only(booker, "booking_rejected")
    assert "was not approved by Petra Principal" in message.text_body
    assert "Reason: No night staff." in message.text_body


def test_cancelling_your_own_booking_confirms_it_and_removes_it_from_calendars(
    instrument, booker, project
):
    booking = book(instrument, booker, project)

    cancel_booking(booking=booking, by=booker, reason="Samples not ready", now=NOW)

    message = only(booker, "booking_cancelled")
    assert "You cancelled your booking of Confocal LSM 980" in message.text_body
    assert "Reason given: Samples not ready" in message.text_body
    assert calendar_of(message)["STATUS"] == "CANCELLED"
    assert not messages_for(booker, "booking_cancelled_by_staff")


def test_a_cancellation_by_staff_says_who(instrument, booker, project, approver):
    booking = book(instrument, booker, project)

    cancel_booking(booking=booking, by=approver, reason="Instrument moved", now=NOW)

    message = only(booker, "booking_cancelled_by_staff")
    assert message.subject.startswith("Your booking was cancelled: Confocal LSM 980")
    assert "was cancelled by Petra Principal" in message.text_body
    assert "Reason: Instrument moved" in message.text_body


def test_maintenance_cancels_with_its_own_message(instrument, booker, project, approver):
    book(instrument, booker, project)

    schedule_maintenance(
        resource=instrument,
        starts_at=at(1, 9),
        ends_at=at(1, 12),
        reason="Laser alignment",
        by=approver,
        now=NOW,
    )

    message = only(booker, "booking_cancelled_by_maintenance")
    assert "Maintenance: Laser alignment" in message.text_body
    assert not messages_for(booker, "booking_cancelled_by_staff")


def test_an_expired_request_is_reported(instrument, booker, project):
    booking = book_needing_approval(instrument, booker, project)

    with transaction.atomic():
        transition(booking, Booking.Status.EXPIRED, by=None)

    assert "has expired" in only(booker, "booking_expired").text_body


def test_each_change_is_its_own_message_with_an_updated_calendar_file(instrument, booker, project):
    booking = book(instrument, booker, project)

    change_booking(
        booking=booking, by=booker, start=at(1, 12), end=at(1, 13), project=project, now=NOW
    )
    change_booking(
        booking=booking, by=booker, start=at(1, 14), end=at(1, 15), project=project, now=NOW
    )

    first, second = messages_for(booker, "booking_changed")
    assert "now Tuesday 5 March 2030, 12:00–13:00" in first.subject
    assert "now Tuesday 5 March 2030, 14:00–15:00" in second.subject
    assert calendar_of(second).start == at(1, 14)
    assert int(calendar_of(second)["SEQUENCE"]) > int(calendar_of(first)["SEQUENCE"])


def test_a_hand_over_tells_the_new_holder_and_the_previous_one(instrument, booker, project):
    colleague = UserFactory(email="colin@example.org", first_name="Colin", last_name="Colleague")
    project.members.add(colleague)
    booking = book(instrument, booker, project)

    change_booking(
        booking=booking, by=booker, start=booking.start, end=booking.end, project=project,
        user=colleague, now=NOW,
    )  # fmt: skip

    received = only(colleague, "booking_handed_over")
    assert "Bea Booker handed a booking over to you" in received.text_body
    assert calendar_of(received)["UID"] == f"booking-{booking.pk}@labitory"
    given = only(booker, "booking_handed_away")
    assert "now belongs to Colin Colleague" in given.text_body
    assert not given.attachments


def test_a_no_show_is_reported(instrument, booker, project):
    instrument.release_no_shows = True
    instrument.save()
    book(instrument, booker, project)

    release_no_shows(now=at(1, 11))

    assert "recorded as a no-show" in only(booker, "booking_no_show").text_body


def test_a_waiting_list_offer_says_how_long_it_is_held_and_where_to_accept(
    instrument, booker, project
):
    booking = book(instrument, booker, project)
    wendy = UserFactory(email="wendy@example.org", first_name="Wendy")
    entry = join_waitlist(
        user=wendy, resource=instrument, project=ProjectFactory(members=[wendy]),
        start=at(1, 10), end=at(1, 11), now=NOW,
    )  # fmt: skip
    cancel_booking(booking=booking, by=booker, now=NOW)

    offer_freed_slot(resource=instrument, start=at(1, 10), end=at(1, 11), now=NOW)

    message = only(wendy, "waitlist_offered")
    entry.refresh_from_db()
    assert (
        "It is held for you until Monday 4 March 2030, 10:00 (Europe/London)" in message.text_body
    )
    assert "/bookings/#waiting-heading" in message.text_body
    assert "Accept or decline the offer" in message.html_body


def test_checking_in_and_completing_send_nothing(instrument, booker, project):
    booking = book(instrument, booker, project)
    with transaction.atomic():
        transition(booking, Booking.Status.CHECKED_IN, by=booker)
        transition(booking, Booking.Status.COMPLETED, by=booker)

    assert list(OutboxMessage.objects.values_list("event", flat=True)) == ["booking_confirmed"]


def test_a_booker_who_turned_updates_off_gets_none(instrument, booker, project):
    update_preferences(user=booker, reminder_hours=24, wanted_topics={"waitlist"})

    booking = book(instrument, booker, project)
    cancel_booking(booking=booking, by=booker, now=NOW)

    assert not OutboxMessage.objects.exists()


def test_a_booking_that_fails_leaves_no_message(instrument, booker, project):
    with pytest.raises(RuntimeError), transaction.atomic():
        book(instrument, booker, project)
        raise RuntimeError("something later in the same change failed")

    assert not OutboxMessage.objects.exists()


def test_the_approvers_message_lists_the_bookers_answers(instrument, booker, project):
    level = BookingQuestion.objects.create(resource=instrument, text="Biosafety level")
    make_rule(instrument.lab, {"approvers": ApprovalStep.Approvers.PROJECT_PI},
              answer_question=level, answer_value="2")  # fmt: skip
    booking = request_booking(user=booker, resource=instrument, project=project, start=at(1, 10),
                              end=at(1, 11), answers={str(level.pk): "2"}, now=NOW)  # fmt: skip

    assert booking.status == Booking.Status.REQUESTED
    body = only(project.pi, "approval_needed").text_body
    assert "The booker answered:\n  - Biosafety level: 2\n" in body
