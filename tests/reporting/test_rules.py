"""Rate cards of one resource and category never overlap: refused on save, by the form,
the import and (on PostgreSQL) the database."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from people.models import User
from reporting.admin_views.rates import RateCardForm
from reporting.models import RateCard
from reporting.rules import check_rate_card_overlap
from tests.reporting.conftest import make_card


def new_card(resource, start, end=None, category=User.Category.INTERNAL) -> RateCard:
    return RateCard(
        resource=resource,
        category=category,
        hourly_rate=Decimal("50"),
        effective_from=start,
        effective_to=end,
    )


def test_an_overlapping_card_is_a_problem(confocal, card):
    problem = check_rate_card_overlap(new_card(confocal, datetime.date(2026, 6, 1)))
    assert problem.code == "rate_card_overlap"
    assert "from 01 Jan 2026 with no end date" in problem.message


def test_a_card_after_the_previous_ends_is_fine(confocal):
    make_card(confocal, effective_to=datetime.date(2026, 5, 31))
    assert check_rate_card_overlap(new_card(confocal, datetime.date(2026, 6, 1))) is None


def test_another_category_may_share_the_dates(confocal, card):
    card = new_card(confocal, datetime.date(2026, 6, 1), category=User.Category.INDUSTRY)
    assert check_rate_card_overlap(card) is None


def test_an_open_ended_new_card_overlapping_a_later_card_is_refused(confocal):
    make_card(confocal, effective_from=datetime.date(2027, 1, 1))
    assert check_rate_card_overlap(new_card(confocal, datetime.date(2026, 1, 1)))


def test_the_admin_form_says_so_next_to_the_start_date(confocal, card):
    form_class = type(
        "Form",
        (RateCardForm,),
        {
            "Meta": type(
                "Meta",
                (),
                {
                    "model": RateCard,
                    "fields": [
                        "resource",
                        "category",
                        "hourly_rate",
                        "booking_fee",
                        "minimum_charge",
                        "rounding_minutes",
                        "no_show_percent",
                        "late_cancellation_percent",
                        "effective_from",
                        "effective_to",
                    ],
                },
            )
        },
    )
    form = form_class(
        data={
            "resource": confocal.pk,
            "category": "internal",
            "hourly_rate": "50",
            "booking_fee": "0",
            "minimum_charge": "0",
            "rounding_minutes": "15",
            "no_show_percent": "0",
            "late_cancellation_percent": "0",
            "effective_from": "2026-06-01",
        }
    )
    assert not form.is_valid()
    assert "Another internal card" in form.errors["effective_from"][0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's"
)
def test_the_database_refuses_an_overlap_that_skips_the_checks(confocal, card):
    with pytest.raises(IntegrityError), transaction.atomic():
        new_card(confocal, datetime.date(2026, 6, 1)).save()


def test_a_card_that_priced_usage_keeps_its_prices(confocal, card, researcher, project):
    from reporting.services import record_usage
    from tests.reporting.conftest import at, finished

    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    form_class = type(
        "Form",
        (RateCardForm,),
        {"Meta": type("Meta", (), {"model": RateCard, "fields": ["hourly_rate", "effective_to"]})},
    )
    raised = form_class(data={"hourly_rate": "99", "effective_to": ""}, instance=card)
    assert not raised.is_valid()
    assert "already priced usage" in str(raised.errors)
    fresh = RateCard.objects.get(pk=card.pk)
    ended = form_class(data={"hourly_rate": "42.00", "effective_to": "2026-12-31"}, instance=fresh)
    assert ended.is_valid(), ended.errors
