"""The serializer every app's read-only representations start from."""

import copy
from typing import ClassVar

from django.db import models
from rest_framework import serializers

from .fields import AwareDateTimeField


class ReadOnlySerializer(serializers.ModelSerializer):
    # Model fields shown as they are, times in UTC, nothing writable.

    _fields_built: ClassVar[dict]

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: AwareDateTimeField,
    }

    def get_extra_kwargs(self):
        return {name: {"read_only": True} for name in self.Meta.fields}

    def get_fields(self):
        # DRF reads the model's fields afresh for every instance; they never change, so
        # each class builds them once and every instance gets its own copies.
        cls = type(self)
        if "_fields_built" not in cls.__dict__:
            cls._fields_built = super().get_fields()
        return copy.deepcopy(cls._fields_built)
