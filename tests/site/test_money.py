"""One money formatter: the facility's currency (LABITORY_CURRENCY) in the locale's form."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.utils import translation

from labitory.money import checked_currency, money


def test_amounts_read_as_money_in_pounds_by_default():
    assert money(Decimal("16086.0100000000")) == "£16,086.01"
    assert money(Decimal("-20")) == "-£20.00"
    assert money(None) == ""


def test_the_currency_setting_decides_symbol_and_decimals(settings):
    settings.LABITORY_CURRENCY = "EUR"
    assert money(Decimal("84")) == "€84.00"
    settings.LABITORY_CURRENCY = "JPY"
    assert money(Decimal("1234.4")) == "JP¥1,234"


def test_the_locale_decides_the_form():
    with translation.override("de"):
        assert money(Decimal("1890.5")) == "1.890,50\xa0£"


def test_a_currency_that_is_not_iso_4217_fails_loudly():
    assert checked_currency("GBP") == "GBP"
    with pytest.raises(ImproperlyConfigured):
        checked_currency("POUNDS")


def test_templates_format_with_the_money_filter():
    rendered = Template("{% load money %}{{ amount|money }}").render(
        Context({"amount": Decimal("84.1")})
    )
    assert rendered == "£84.10"
