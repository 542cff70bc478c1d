"""Dates as people read them, in the active language's locale (labitory.money does the same
for amounts): 'Tuesday 5 March 2030' in English, 'Dienstag, 5. März 2030' in German. Times
stay on the 24-hour clock in every language."""

import datetime

from babel.dates import format_date, format_skeleton

from labitory.money import current_locale

# A locale's own patterns, except where Labitory's English has always read otherwise (CLDR
# puts a comma after the weekday in British English: "Tuesday, 5 March 2030").
LONG_DAY = {"en_GB": "EEEE d MMMM y"}
DAY_MONTH = {"en_GB": "dd MMMM"}


def long_day(day: datetime.date) -> str:
    """'Tuesday 5 March 2030'; 'Dienstag, 5. März 2030'."""
    locale = current_locale()
    return format_date(day, LONG_DAY.get(locale, "full"), locale=locale)


def day_month(day: datetime.date) -> str:
    """'05 March'; '5. März'."""
    locale = current_locale()
    if locale in DAY_MONTH:
        return format_date(day, DAY_MONTH[locale], locale=locale)
    return format_skeleton("MMMMd", day, locale=locale)


def month_year(day: datetime.date) -> str:
    """'March 2030'; 'März 2030'."""
    return format_skeleton("yMMMM", day, locale=current_locale())


def long_date(day: datetime.date, *, padded: bool = False) -> str:
    """'5 March 2030' ('05 March 2030' padded, as English messages have long been written);
    '5. März 2030'."""
    locale = current_locale()
    if padded and locale == "en_GB":
        return format_date(day, "dd MMMM y", locale=locale)
    return format_date(day, "long", locale=locale)
