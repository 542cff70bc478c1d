"""The "estimated cost above" condition, priced by reporting's one pricing function."""

import datetime
from decimal import Decimal

import pytest

from booking.models import Booking
from people.models import User
from tests.reporting.conftest import make_card
from tests.workflows.helpers import at, book, make_rule, request_of
from workflows.models import ApprovalStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(instrument):
    """£42 an hour for internal users, £120 an hour for industry."""
    make_card(instrument, effective_from=datetime.date(2025, 1, 1))
    make_card(
        instrument,
        category=User.Category.INDUSTRY,
        hourly_rate=Decimal("120.00"),
        effective_from=datetime.date(2025, 1, 1),
    )
    make_rule(
        instrument.lab,
        {"approvers": ApprovalStep.Approvers.PROJECT_PI},
        cost_above=Decimal("100.00"),
    )


def test_a_booking_priced_over_the_limit_waits_for_approval(instrument, booker, project, priced):
    cheap = book(instrument, booker, project, at(1, 10), at(1, 12))  # £84
    dear = book(instrument, booker, project, at(2, 10), at(2, 13))  # £126

    assert cheap.status == Booking.Status.CONFIRMED
    assert dear.status == Booking.Status.REQUESTED
    assert request_of(dear).reasons == ["Check first: estimated cost £126.00, above £100.00"]


def test_the_booker_category_prices_the_estimate(instrument, booker, project, priced):
    booker.category = User.Category.INDUSTRY
    booker.save()

    assert book(instrument, booker, project, at(1, 10), at(1, 11)).status == "requested"  # £120


def test_without_a_rate_card_cost_never_asks_for_approval(instrument, booker, project):
    make_rule(instrument.lab, {"approvers": "project_pi"}, cost_above=Decimal("0.00"))

    assert book(instrument, booker, project, at(1, 10), at(1, 14)).status == "confirmed"
