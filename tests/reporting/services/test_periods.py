"""Closing a month: refusals with their reasons, then closed, logged and stated."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from people.models import User
from reporting.models import BillingPeriod, Statement
from reporting.problems import AdjustmentRefused, PeriodRefused
from reporting.services import add_adjustment, close_period, period_by_code, record_usage
from tests.reporting.conftest import NOW, at, finished, make_card


@pytest.fixture
def october(confocal, card, researcher, project) -> BillingPeriod:
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    return BillingPeriod.objects.get(starts_on=datetime.date(2026, 10, 1))


def test_it_closes_a_finished_month_logs_it_and_queues_its_statements(october, finance):
    close_period(period=october, by=finance, now=NOW)
    october.refresh_from_db()
    assert october.status == BillingPeriod.Status.CLOSED and october.closed_by == finance
    assert ModelLogEntry.objects.filter(action="reporting.period_closed").exists()
    assert Statement.objects.filter(period=october).count() == 2  # project and department


def test_it_refuses_a_month_that_is_not_over(october, finance):
    with pytest.raises(PeriodRefused) as refused:
        close_period(period=october, by=finance, now=at(31, 12))
    assert refused.value.codes == ["period_not_over"]


def test_it_refuses_to_close_twice(october, finance):
    close_period(period=october, by=finance, now=NOW)
    with pytest.raises(PeriodRefused) as refused:
        close_period(period=october, by=finance, now=NOW)
    assert refused.value.codes == ["period_closed"]


def test_it_refuses_unpriced_lines_and_lists_them(october, confocal, researcher, project, finance):
    researcher.category = User.Category.INDUSTRY
    researcher.save()
    record_usage(booking=finished(confocal, researcher, project, at(6, 9)))
    with pytest.raises(PeriodRefused) as refused:
        close_period(period=october, by=finance, now=NOW)
    assert refused.value.codes == ["unpriced_usage"]
    assert "Zeiss LSM 980 on 06 Oct 2026 09:00" in refused.value.problems[0].message
    assert BillingPeriod.objects.get(pk=october.pk).is_open


def test_a_card_added_before_closing_prices_the_unpriced_lines(
    october, confocal, researcher, project, finance
):
    researcher.category = User.Category.INDUSTRY
    researcher.save()
    record_usage(booking=finished(confocal, researcher, project, at(6, 9)))
    make_card(confocal, category=User.Category.INDUSTRY, hourly_rate=Decimal("126.00"))
    close_period(period=october, by=finance, now=NOW)
    assert not october.usage_records.filter(amount__isnull=True).exists()


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        ("2026-13", "bad_period"),
        ("October", "bad_period"),
        ("", "bad_period"),
        ("2031-01", "no_such_period"),
    ],
)
def test_a_period_is_named_by_an_existing_month(db, code, refusal):
    with pytest.raises(PeriodRefused) as refused:
        period_by_code(code)
    assert refused.value.codes == [refusal]


def test_an_adjustment_goes_into_the_open_period_with_reason_and_author(october, project, finance):
    close_period(period=october, by=finance, now=NOW)
    adjustment = add_adjustment(
        project=project, amount=Decimal("-12.50"), reason="Laser fault", by=finance, now=NOW
    )
    assert adjustment.period.starts_on == datetime.date(2026, 11, 1)
    assert (adjustment.created_by, adjustment.reason) == (finance, "Laser fault")


@pytest.mark.parametrize(
    ("amount", "reason", "codes"),
    [
        ("0", "x", ["bad_amount"]),
        ("1.234", "x", ["bad_amount"]),
        ("abc", "x", ["bad_amount"]),
        ("5", "  ", ["reason_required"]),
    ],
)
def test_a_bad_adjustment_is_refused_and_nothing_written(project, finance, amount, reason, codes):
    with pytest.raises(AdjustmentRefused) as refused:
        add_adjustment(project=project, amount=amount, reason=reason, by=finance, now=NOW)
    assert refused.value.codes == codes
