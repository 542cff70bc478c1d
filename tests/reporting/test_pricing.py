"""One pricing function: rounding, fee, minimum, the card in force, no card, and Decimal."""

import datetime
from decimal import Decimal

from people.models import User
from reporting.models import UsageRecord
from reporting.pricing import estimate_booking, price
from tests.reporting.conftest import at, make_card


def test_it_rounds_billed_time_up_to_the_increment(confocal, card):
    quote = price(
        resource=confocal, category=User.Category.INTERNAL, start=at(5, 9), end=at(5, 9, 50)
    )
    assert quote.billed_minutes == 60
    assert quote.amount == Decimal("42.00")


def test_it_adds_the_booking_fee_and_keeps_pennies_exact(confocal):
    make_card(confocal, hourly_rate=Decimal("33.33"), booking_fee=Decimal("10.00"))
    quote = price(
        resource=confocal, category=User.Category.INTERNAL, start=at(5, 9), end=at(5, 9, 45)
    )
    # 0.75 h × 33.33 = 24.9975 → 25.00 (half-up, once, at the end) + 10.00
    assert quote.amount == Decimal("35.00")
    assert isinstance(quote.amount, Decimal)


def test_it_never_charges_less_than_the_minimum(confocal):
    make_card(confocal, minimum_charge=Decimal("50.00"))
    quote = price(
        resource=confocal, category=User.Category.INTERNAL, start=at(5, 9), end=at(5, 9, 15)
    )
    assert quote.amount == Decimal("50.00")


def test_it_uses_the_card_in_force_on_the_bookings_start_date(confocal):
    make_card(confocal, effective_to=datetime.date(2026, 9, 30))
    make_card(confocal, hourly_rate=Decimal("50.00"), effective_from=datetime.date(2026, 10, 1))
    before = price(
        resource=confocal,
        category=User.Category.INTERNAL,
        start=at(30, 23, month=9),
        end=at(1, 1),
    )
    after = price(resource=confocal, category=User.Category.INTERNAL, start=at(1, 0), end=at(1, 1))
    assert before.hourly_rate == Decimal("42.00")
    assert after.hourly_rate == Decimal("50.00")


def test_the_start_date_is_the_facilitys_local_date(confocal):
    """00:30 on 1 October in London is still 30 September in UTC."""
    make_card(confocal, effective_to=datetime.date(2026, 9, 30))
    make_card(confocal, hourly_rate=Decimal("50.00"), effective_from=datetime.date(2026, 10, 1))
    quote = price(
        resource=confocal, category=User.Category.INTERNAL, start=at(1, 0, 30), end=at(1, 1, 30)
    )
    assert quote.hourly_rate == Decimal("50.00")


def test_without_a_card_it_is_unpriced_not_zero(confocal, card):
    quote = price(resource=confocal, category=User.Category.INDUSTRY, start=at(5, 9), end=at(5, 10))
    assert quote.amount is None
    assert not quote.is_priced


def test_a_no_show_costs_the_cards_share_of_the_booked_price(confocal):
    make_card(confocal, no_show_percent=Decimal("50"))
    quote = price(
        resource=confocal,
        category=User.Category.INTERNAL,
        start=at(5, 9),
        end=at(5, 11),
        kind=UsageRecord.Kind.NO_SHOW,
    )
    assert quote.amount == Decimal("42.00")


def test_the_estimate_is_the_same_figure(confocal, card, researcher, project):
    assert estimate_booking(confocal, researcher, project, at(5, 9), at(5, 11)) == Decimal("84.00")


def test_the_estimate_is_none_without_a_card(confocal, researcher, project):
    assert estimate_booking(confocal, researcher, project, at(5, 9), at(5, 11)) is None


def test_it_bills_the_hours_that_pass_across_a_clock_change(confocal, card):
    # 22:00 BST on 24 October 2026 to 04:00 GMT the next morning: the wall clock moves six
    # hours, seven pass (found by tests/reporting/test_analytics.py's hand-counted month).
    quote = price(
        resource=confocal,
        category=User.Category.INTERNAL,
        start=at(24, 22),
        end=at(25, 4),
    )
    assert quote.billed_minutes == 7 * 60
    assert quote.amount == Decimal("294.00")
