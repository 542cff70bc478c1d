"""The serializer every app's read-only representations start from."""

from django.db import models
from rest_framework import serializers

from .fields import AwareDateTimeField


class ReadOnlySerializer(serializers.ModelSerializer):
    # Model fields shown as they are, times in UTC, nothing writable.

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: AwareDateTimeField,
    }

    def get_extra_kwargs(self):
        return {name: {"read_only": True} for name in self.Meta.fields}
