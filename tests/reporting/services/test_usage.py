"""Usage records: one per charged booking, priced once, never changed in a closed period."""

import datetime
from decimal import Decimal

import pytest

from booking.models import Booking, Resource
from booking.services import check_out
from people.models import User
from reporting.models import BillingPeriod, UsageRecord
from reporting.services import record_usage, reprice_unpriced
from reporting.services.usage import record_missing_usage
from tests.reporting.conftest import NOW, at, finished, make_card


def test_a_completed_booking_gets_one_priced_record(confocal, card, researcher, project):
    booking = finished(confocal, researcher, project, at(5, 9), minutes=90)
    record = record_usage(booking=booking)
    assert record.kind == UsageRecord.Kind.USAGE
    assert record.amount == Decimal("63.00")
    assert (record.hours, record.hourly_rate) == (Decimal("1.50"), Decimal("42.00"))
    assert record.period.starts_on == datetime.date(2026, 10, 1)
    assert record.department == project.department


def test_recording_twice_makes_one_record(confocal, card, researcher, project):
    booking = finished(confocal, researcher, project, at(5, 9))
    assert record_usage(booking=booking) == record_usage(booking=booking)
    assert UsageRecord.objects.count() == 1


def test_actual_time_is_billed_from_check_in_to_check_out(confocal, card, researcher, project):
    confocal.billing_basis = Resource.BillingBasis.ACTUAL
    confocal.save()
    booking = finished(
        confocal,
        researcher,
        project,
        at(5, 9),
        minutes=120,
        checked_in_at=at(5, 9, 10),
        checked_out_at=at(5, 10, 5),
    )
    record = record_usage(booking=booking)
    assert record.billed_minutes == 60  # 55 minutes, rounded up to the quarter hour
    assert record.start == at(5, 9, 10)


def test_a_no_show_is_charged_only_when_the_card_says_so(confocal, researcher, project):
    card = make_card(confocal)
    booking = finished(confocal, researcher, project, at(5, 9), status=Booking.Status.NO_SHOW)
    assert record_usage(booking=booking) is None
    card.no_show_percent = Decimal("100")
    card.save()
    assert record_usage(booking=booking).amount == Decimal("42.00")


def test_a_late_cancellation_is_charged_but_an_early_one_is_not(confocal, researcher, project):
    make_card(confocal, late_cancellation_percent=Decimal("25"))
    late = finished(
        confocal,
        researcher,
        project,
        at(5, 9),
        status=Booking.Status.CANCELLED,
        late_cancellation=True,
    )
    early = finished(confocal, researcher, project, at(6, 9), status=Booking.Status.CANCELLED)
    assert record_usage(booking=late).amount == Decimal("10.50")
    assert record_usage(booking=early) is None


def test_a_booking_without_a_card_is_recorded_unpriced(confocal, card, project):
    industry = project.members.first()
    industry.category = User.Category.INDUSTRY
    industry.save()
    record = record_usage(booking=finished(confocal, industry, project, at(5, 9)))
    assert record is not None and record.amount is None


def test_a_charge_for_a_closed_month_goes_to_the_next_open_one(confocal, card, researcher, project):
    BillingPeriod.objects.create(
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 31),
        status=BillingPeriod.Status.CLOSED,
        closed_at=NOW,
    )
    record = record_usage(booking=finished(confocal, researcher, project, at(30, 9)))
    assert record.period.starts_on == datetime.date(2026, 11, 1)


def test_repricing_never_touches_a_closed_period(confocal, researcher, project):
    record = record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    BillingPeriod.objects.filter(pk=record.period_id).update(status="closed", closed_at=NOW)
    make_card(confocal)
    assert reprice_unpriced(period=BillingPeriod.objects.get(pk=record.period_id), by=None) == 0
    record.refresh_from_db()
    assert record.amount is None


def test_repricing_an_open_period_prices_its_unpriced_lines(confocal, researcher, project):
    record = record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    make_card(confocal)
    assert reprice_unpriced(period=record.period, by=None) == 1
    record.refresh_from_db()
    assert record.amount == Decimal("42.00")


@pytest.mark.django_db(transaction=False)
def test_checking_out_through_the_booking_service_records_usage(
    confocal, card, researcher, project, django_capture_on_commit_callbacks, eager_tasks
):
    booking = finished(
        confocal,
        researcher,
        project,
        at(5, 9),
        status=Booking.Status.CHECKED_IN,
        checked_in_at=at(5, 9),
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_out(booking=booking, by=researcher, now=at(5, 10))
    assert UsageRecord.objects.get(booking=booking).amount == Decimal("42.00")


def test_the_sweep_records_usage_whose_event_was_missed(confocal, card, researcher, project):
    finished(confocal, researcher, project, at(5, 9))
    assert record_missing_usage(since=at(1, 0)) == 1
    assert record_missing_usage(since=at(1, 0)) == 0
