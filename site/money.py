"""Money as people read it, in one place: every screen, e-mail, PDF and admin list formats an
amount with `money()` (templates: `{% load money %}{{ amount|money }}`), in the facility's
currency (the setting LABITORY_CURRENCY, an ISO 4217 code) and the active language's locale,
which decide the symbol, the grouping and the decimals. Spreadsheets keep amounts as numbers.
"""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_symbol, list_currencies
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation


def checked_currency(code: str) -> str:
    """`code` if it is an ISO 4217 currency Babel knows; the settings fail loudly otherwise."""
    if code not in list_currencies():
        raise ImproperlyConfigured(f"LABITORY_CURRENCY={code!r} is not an ISO 4217 currency code.")
    return code


def current_locale() -> str:
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def money(amount: Decimal | int | float | str | None) -> str:
    """'£16,086.01', '-£20.00'; '' for no amount. A float is read through its text."""
    if amount is None or amount == "":
        return ""
    return format_currency(
        Decimal(str(amount)), settings.LABITORY_CURRENCY, locale=current_locale()
    )


def currency_symbol() -> str:
    """The currency's symbol in the current locale ('£'), for column headings."""
    return get_currency_symbol(settings.LABITORY_CURRENCY, locale=current_locale())
