"""A training session is charged by the resource's training rate card, through the one
pricing function; without a training card it costs nothing."""

from decimal import Decimal

from booking.models import Booking
from booking.services import complete_finished
from reporting.models import RateCard, UsageRecord
from reporting.services import record_usage
from tests.reporting.conftest import make_card
from training.services import schedule_session

from .conftest import NOW, at


def _finished_session(sorter, trainer, project):
    session = schedule_session(
        resource=sorter, by=trainer, trainer=trainer, project=project, starts_at=at(1, 10),
        ends_at=at(1, 12), capacity=2, now=NOW,
    )  # fmt: skip
    complete_finished(now=at(1, 13))
    session.hold.refresh_from_db()
    assert session.hold.status == Booking.Status.COMPLETED
    return session


def test_a_session_is_priced_by_the_training_card(sorter, trainer, lab_project):
    make_card(sorter, hourly_rate=Decimal("100.00"))
    make_card(sorter, hourly_rate=Decimal("30.00"), kind=RateCard.Kind.TRAINING)
    session = _finished_session(sorter, trainer, lab_project)
    record = record_usage(booking=session.hold)
    assert record.kind == UsageRecord.Kind.TRAINING
    assert (record.amount, record.project) == (Decimal("60.00"), lab_project)


def test_without_a_training_card_a_session_costs_nothing(sorter, trainer, lab_project):
    make_card(sorter, hourly_rate=Decimal("100.00"))
    session = _finished_session(sorter, trainer, lab_project)
    assert record_usage(booking=session.hold) is None
    assert not UsageRecord.objects.exists()
