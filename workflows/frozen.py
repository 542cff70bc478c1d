"""A message's context as JSON: recorded with the change, read back by the worker.

Plain values (text, numbers, lists, dicts, datetimes) keep the value they had when the change
happened; times are recorded as moments and put into words when the message is written, in
its recipient's language (notifications.worded). Model instances are kept
as references and read again when the message is written, seconds later; one that has been
deleted by then makes the message unwritable (`Gone`).
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.utils.functional import Promise

MODEL, MOMENT = "$model", "$datetime"


class Gone(Exception):
    """An object the message refers to no longer exists."""


def freeze(value):
    """`value` as JSON-ready data; TypeError for anything a message cannot carry."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return {MODEL: value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {MOMENT: value.isoformat()}
    if isinstance(value, Decimal | Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [freeze(item) for item in value]
    if isinstance(value, dict):
        return {str(key): freeze(item) for key, item in value.items()}
    raise TypeError(f"A message's context cannot carry {type(value).__name__} values.")


def thaw(value):
    """The values `freeze` recorded, with each model instance read from the database."""
    if isinstance(value, list):
        return [thaw(item) for item in value]
    if not isinstance(value, dict):
        return value
    if MODEL in value:
        model = apps.get_model(value[MODEL])
        try:
            return model._default_manager.get(pk=value["pk"])
        except model.DoesNotExist:
            raise Gone(f"{model._meta.verbose_name} {value['pk']} no longer exists") from None
    if MOMENT in value:
        return datetime.datetime.fromisoformat(value[MOMENT])
    return {key: thaw(item) for key, item in value.items()}
