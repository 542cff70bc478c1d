"""Reminders before a booking starts: at each booker's lead time, once per start, cheaply."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from booking.models import Booking
from booking.services import cancel_booking, change_booking, request_booking
from tests.factories import ProjectFactory, UserFactory
from workflows.models import OutboxMessage
from workflows.outbox import write
from workflows.preferences import update_preferences
from workflows.reminders import enqueue_due_reminders

from .conftest import NOW, at

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def book(instrument, user, project, start, hours=1) -> Booking:
    return request_booking(
        user=user, resource=instrument, project=project, start=start, end=start + hours * HOUR,
        now=NOW,
    )  # fmt: skip


def reminders() -> list[OutboxMessage]:
    """The reminders written so far, worded as the worker will word them."""
    found = OutboxMessage.objects.filter(event="booking_reminder").order_by("pk")
    return [write(message) for message in found]


def test_a_booking_is_reminded_of_a_day_before_by_default(instrument, booker, project):
    booking = book(instrument, booker, project, at(2, 10))

    assert enqueue_due_reminders(now=booking.start - 25 * HOUR) == 0
    assert enqueue_due_reminders(now=booking.start - 24 * HOUR) == 1

    [message] = reminders()
    assert message.recipient == booker
    assert message.subject == (
        "Reminder: Confocal LSM 980, Wednesday 6 March 2030, 10:00–11:00 (Europe/London)"
    )
    assert "please cancel it so that someone else can use the time" in message.text_body


def test_running_again_or_late_writes_no_second_reminder(instrument, booker, project):
    booking = book(instrument, booker, project, at(2, 10))
    enqueue_due_reminders(now=booking.start - 24 * HOUR)

    assert enqueue_due_reminders(now=booking.start - 23 * HOUR) == 0
    assert enqueue_due_reminders(now=booking.start - HOUR) == 0
    assert len(reminders()) == 1


def test_each_person_chooses_their_lead_time(instrument, booker, project):
    update_preferences(user=booker, reminder_hours=2, wanted_topics=set())
    booking = book(instrument, booker, project, at(2, 10))

    assert enqueue_due_reminders(now=booking.start - 24 * HOUR) == 0
    assert enqueue_due_reminders(now=booking.start - 2 * HOUR) == 1


def test_a_longer_lead_time_than_the_default_is_honoured(instrument, booker, project):
    update_preferences(user=booker, reminder_hours=48, wanted_topics=set())
    booking = book(instrument, booker, project, at(3, 10))

    assert enqueue_due_reminders(now=booking.start - 48 * HOUR) == 1


def test_reminders_turned_off_are_not_sent(instrument, booker, project):
    update_preferences(user=booker, reminder_hours=0, wanted_topics=set())
    booking = book(instrument, booker, project, at(2, 10))

    assert enqueue_due_reminders(now=booking.start - HOUR) == 0


def test_a_booking_made_inside_the_lead_time_is_not_reminded_of(instrument, booker, project):
    booking = book(instrument, booker, project, at(2, 10))
    Booking.objects.filter(pk=booking.pk).update(created_at=booking.start - 3 * HOUR)

    assert enqueue_due_reminders(now=booking.start - 2 * HOUR) == 0


def test_a_cancelled_or_started_booking_is_not_reminded_of(instrument, booker, project):
    cancelled = book(instrument, booker, project, at(2, 10))
    cancel_booking(booking=cancelled, by=booker, now=NOW)
    started = book(instrument, booker, project, at(2, 12))

    enqueue_due_reminders(now=cancelled.start - HOUR)
    assert enqueue_due_reminders(now=started.start + datetime.timedelta(minutes=1)) == 0

    [only_the_kept_one] = reminders()
    assert "12:00–13:00" in only_the_kept_one.subject


def test_a_moved_booking_is_reminded_of_its_new_start(instrument, booker, project):
    booking = book(instrument, booker, project, at(2, 10))
    enqueue_due_reminders(now=booking.start - 24 * HOUR)

    change_booking(
        booking=booking, by=booker, start=at(2, 14), end=at(2, 15), project=project, now=NOW
    )
    enqueue_due_reminders(now=at(2, 14) - 24 * HOUR)

    first, second = reminders()
    assert "10:00–11:00" in first.subject and "14:00–15:00" in second.subject


def test_many_reminders_cost_a_fixed_number_of_queries(instrument):
    def run_with(people: int) -> int:
        OutboxMessage.objects.all().delete()
        Booking.objects.all().delete()
        for n in range(people):
            user = UserFactory()
            update_preferences(user=user, reminder_hours=24, wanted_topics=set())
            book(instrument, user, ProjectFactory(members=[user]), at(2, 8) + n * HOUR)
        with CaptureQueriesContext(connection) as queries:
            written = enqueue_due_reminders(now=at(2, 7))
        assert written == people
        return len(queries)

    run_with(1)  # warms the wording and facility-zone caches, as any earlier run would
    assert run_with(3) == run_with(12) <= 6
