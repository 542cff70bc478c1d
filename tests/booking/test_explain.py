"""A resource's rules and a user's standing, worded for people."""

import datetime
from decimal import Decimal

import pytest

from booking.explain import (
    duration,
    hours_text,
    opening_hours_sentence,
    quota_lines,
    rule_sentences,
)
from booking.models import Booking, OpeningHours, Quota, RequiredPolicy
from booking.rules import is_late_cancellation
from labpages.models import PolicyPage
from tests.booking.conftest import at
from tests.factories import ensure_tree_roots

pytestmark = pytest.mark.django_db

T = datetime.time


def test_durations_read_as_words():
    assert duration(15) == "15 minutes"
    assert duration(60) == "1 hour"
    assert duration(90) == "1 hour 30 minutes"
    assert duration(2880) == "2 days"


def test_hours_drop_trailing_zeros():
    assert hours_text(Decimal("10.00")) == "10 h"
    assert hours_text(Decimal("6.50")) == "6.5 h"


def test_opening_hours_group_consecutive_days_with_the_same_times():
    hours = [(day, T(8), T(20)) for day in range(5)] + [(5, T(10), T(14))]
    assert opening_hours_sentence(hours) == (
        "Open Monday to Friday, 08:00–20:00; Saturday, 10:00–14:00."
    )


def test_opening_hours_with_a_lunch_break_and_separate_days():
    hours = [(0, T(9), T(12)), (0, T(13), T(17)), (2, T(9), T(12)), (2, T(13), T(17))]
    assert opening_hours_sentence(hours) == (
        "Open Monday, 09:00–12:00 and 13:00–17:00; Wednesday, 09:00–12:00 and 13:00–17:00."
    )


def test_no_opening_hours_means_open_around_the_clock():
    assert opening_hours_sentence([]) == "Open at any time of day, every day."


def test_the_basic_rules_are_always_worded(instrument):
    sentences = rule_sentences(instrument)
    assert "Times go in steps of 15 minutes." in sentences
    assert "A booking lasts from 15 minutes to 4 hours." in sentences
    assert "Book up to 90 days ahead." in sentences
    assert "Open at any time of day, every day." in sentences
    assert (
        "Cancel at least 1 day before the start; later cancellations count as late "
        "and may be charged." in sentences
    )
    assert "You are charged for the time you book." in sentences


def test_every_optional_rule_is_worded_when_set(instrument):
    instrument.min_notice = 120
    instrument.buffer = 15
    instrument.capacity = 4
    instrument.save()
    instrument.max_future_bookings = 3
    instrument.requires_qualification = True
    instrument.allow_outside_hours = True
    instrument.billing_basis = instrument.BillingBasis.ACTUAL
    instrument.save()
    OpeningHours.objects.create(resource=instrument, weekday=0, opens=T(9), closes=T(17))
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.USER, period=Quota.Period.WEEK, hours=10
    )
    policy = ensure_tree_roots().add_child(
        instance=PolicyPage(title="Laser safety", body="<p>Goggles.</p>")
    )
    RequiredPolicy.objects.create(resource=instrument, policy=policy)

    sentences = rule_sentences(instrument)

    assert "Book at least 2 hours ahead, and up to 90 days ahead." in sentences
    assert "Open Monday, 09:00–17:00." in sentences
    assert "Bookings outside opening hours are possible but need approval." in sentences
    assert "A gap of 15 minutes is kept free between bookings." in sentences
    assert "Up to 4 people can book the same time." in sentences
    assert "You can hold up to 3 upcoming bookings at a time." in sentences
    assert "Each person may book up to 10 h a week." in sentences
    assert "Only people the lab has trained on this instrument can book it." in sentences
    assert "Accept Laser safety before booking." in sentences
    assert "You are charged for the time you use, from check-in to check-out." in sentences


def test_quota_lines_say_how_much_is_left_for_the_user_and_each_project(
    instrument, booker, project
):
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.USER, period=Quota.Period.WEEK, hours=10
    )
    Quota.objects.create(
        resource=instrument, scope=Quota.Scope.PROJECT, period=Quota.Period.MONTH, hours=20
    )
    Booking.objects.create(
        resource=instrument, user=booker, project=project, start=at(1, 9), end=at(1, 12, 30)
    )

    lines = [line.text for line in quota_lines(instrument, booker, [project], at(1, 9))]

    assert lines == [
        "You have 6.5 h left of 10 h this week.",
        "Project BIO-2041 has 16.5 h left of 20 h this month.",
    ]


def test_cancelling_after_the_cutoff_is_late_only_for_confirmed_bookings(
    instrument, booker, project
):
    booking = Booking(
        resource=instrument, user=booker, project=project, start=at(2, 10), end=at(2, 11)
    )
    day_before = at(1, 10)
    assert not is_late_cancellation(booking, day_before)
    assert is_late_cancellation(booking, day_before + datetime.timedelta(minutes=1))
    booking.status = Booking.Status.REQUESTED
    assert not is_late_cancellation(booking, day_before + datetime.timedelta(minutes=1))
