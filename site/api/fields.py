"""Parsing what API clients send: times with a UTC offset, and ids that fit the database."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.serializers import Serializer

# What a path's id may be: digits only, so that other text is a 404, not a 400.
ID_PATTERN = r"[0-9]+"

# The largest id PostgreSQL's bigint and SQLite's integer hold; a bigger one cannot exist.
MAX_ID = 2**63 - 1

# Outside these years (as written) a time is a typo, and date arithmetic near Python's limits
# overflows. The schema says it with YEARS_PATTERN.
YEARS = range(1900, 3000)
YEARS_PATTERN = r"^(19|2[0-9])[0-9]{2}-"

INVALID_DATETIME = "invalid_datetime"
# Python's ISO parser tolerates stray characters (a NUL before the offset, say); refuse them.
ISO_CHARACTERS = re.compile(r"[0-9T:+\-.,Z ]+")
EXAMPLE = "2030-03-05T09:30:00+01:00"


def parse_aware(value: str) -> datetime.datetime:
    """An ISO 8601 date and time with a UTC offset (or Z), as an aware datetime in UTC.

    Raises ValueError, with a message for people, when the text is not such a time, has no
    offset, or is written in a year outside 1900–2999. Normalising to UTC keeps exotic offsets
    (seconds, ±23:59) away from the database, which may reject them.
    """
    value = value.strip()
    try:
        parsed = parse_datetime(value) if ISO_CHARACTERS.fullmatch(value) else None
    except (ValueError, TypeError, OverflowError):
        parsed = None
    if parsed is None:
        raise ValueError(
            _("Use an ISO 8601 date and time with a UTC offset, e.g. %(example)s.")
            % {"example": EXAMPLE}
        )
    if parsed.utcoffset() is None:
        raise ValueError(
            _(
                "Add a UTC offset (e.g. +01:00, or Z for UTC): without one the time is "
                "ambiguous. For example %(example)s."
            )
            % {"example": EXAMPLE}
        )
    if parsed.year not in YEARS:
        raise ValueError(_("Use a time between the years 1900 and 2999."))
    return parsed.astimezone(datetime.UTC)


def utc_text(moment: datetime.datetime) -> str:
    """How the API writes a time: ISO 8601 in UTC with a Z, e.g. 2030-03-05T08:30:00Z."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": YEARS_PATTERN,
        "description": "ISO 8601 with a UTC offset, in the years 1900–2999.",
    }
)
class AwareDateTimeField(serializers.DateTimeField):
    """Reads only ISO 8601 times with an offset (code `invalid_datetime` otherwise); writes UTC."""

    default_error_messages = {INVALID_DATETIME: "{message}"}

    def __init__(self, **kwargs):
        super().__init__(default_timezone=datetime.UTC, **kwargs)

    def to_representation(self, value: datetime.datetime) -> str:
        # DRF writes None itself and never asks a field to represent it.
        return utc_text(value)

    def to_internal_value(self, value) -> datetime.datetime:
        if not isinstance(value, str):
            message = _("Send the time as a string, e.g. %(example)s.") % {"example": EXAMPLE}
            self.fail(INVALID_DATETIME, message=message)
        try:
            return parse_aware(value)
        except ValueError as error:
            self.fail(INVALID_DATETIME, message=str(error))


class IdField(serializers.IntegerField):
    """A whole number from 1 to the largest id the database can hold."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class AwareDateTimeFormField(forms.Field):
    """The form-field twin of AwareDateTimeField, for query-string filters."""

    def to_python(self, value) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        try:
            return parse_aware(str(value))
        except ValueError as error:
            raise DjangoValidationError(str(error), code=INVALID_DATETIME) from error


class IdFormField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


def parsed(serializer_class: type[Serializer], data) -> dict:
    """`data` read by the serializer; what it cannot read is a 400 (`invalid`)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
