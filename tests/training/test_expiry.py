"""Reminders before a qualification expires, once per lead time, by the clock; and booking
on an expired qualification refused with the booking rules' own code."""

import datetime

import pytest

from booking.models import Booking, Qualification
from booking.services import BookingRefused, request_booking
from training.expiry import lead_for, remind_expiring
from training.models import QualificationRecord, TrainingPolicy
from workflows.models import OutboxMessage

from .conftest import NOW, at

EXPIRES = datetime.date(2030, 4, 30)


def day_before(days: int) -> datetime.datetime:
    return datetime.datetime.combine(
        EXPIRES - datetime.timedelta(days=days), datetime.time(7), tzinfo=NOW.tzinfo
    )


def reminders() -> list[str]:
    return sorted(OutboxMessage.objects.filter(event="training_expiring").values_list(
        "key", flat=True))  # fmt: skip


@pytest.fixture
def expiring(sorter, rosa):
    return Qualification.objects.create(user=rosa, resource=sorter, expires_on=EXPIRES)


def test_the_nearest_lead_time_reached_is_the_one_sent():
    assert lead_for(31, [30, 7]) is None
    assert lead_for(30, [30, 7]) == 30
    assert lead_for(8, [30, 7]) == 30
    assert lead_for(5, [30, 7]) == 7


def test_each_lead_time_is_reminded_once(expiring):
    assert remind_expiring(now=day_before(31), leads=[30, 7]) == 0
    assert remind_expiring(now=day_before(30), leads=[30, 7]) == 1
    assert remind_expiring(now=day_before(30), leads=[30, 7]) == 0  # run twice the same day
    for days in range(29, 7, -1):
        remind_expiring(now=day_before(days), leads=[30, 7])
    assert remind_expiring(now=day_before(7), leads=[30, 7]) == 1
    for days in range(6, -1, -1):
        remind_expiring(now=day_before(days), leads=[30, 7])
    pk = expiring.pk
    assert reminders() == [f"training.expiring.{pk}.2030-04-30.30",
                           f"training.expiring.{pk}.2030-04-30.7"]  # fmt: skip


def test_a_late_first_run_sends_only_the_nearest_reminder(expiring):
    assert remind_expiring(now=day_before(3), leads=[30, 7]) == 1
    assert reminders() == [f"training.expiring.{expiring.pk}.2030-04-30.7"]


def test_recent_use_renews_instead_of_reminding(expiring, sorter, rosa, rosa_project):
    policy = TrainingPolicy.objects.get(resource=sorter)
    policy.renewal, policy.recent_use_days = TrainingPolicy.Renewal.RECENT_USE, 90
    policy.save()
    Booking.objects.create(
        resource=sorter, user=rosa, project=rosa_project, start=at(10, 10), end=at(10, 11),
        status=Booking.Status.COMPLETED,
    )  # fmt: skip
    assert remind_expiring(now=day_before(30), leads=[30, 7]) == 0
    expiring.refresh_from_db()
    assert expiring.expires_on == datetime.date(2031, 3, 14)
    assert QualificationRecord.objects.get().action == QualificationRecord.Action.RENEWED_BY_USE


def test_booking_on_an_expired_qualification_is_refused(sorter, rosa, rosa_project):
    Qualification.objects.create(user=rosa, resource=sorter, expires_on=NOW.date())
    with pytest.raises(BookingRefused) as refused:
        request_booking(
            user=rosa, resource=sorter, project=rosa_project, start=at(1, 10), end=at(1, 11),
            now=NOW,
        )  # fmt: skip
    assert "qualification_expired" in refused.value.codes
