"""Query-string filters every app's list endpoints share. Bad values are a 400, never a 500."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from .fields import AwareDateTimeField, AwareDateTimeFormField, IdField, IdFormField

TRUE_FALSE = [("true", "true"), ("false", "false")]


@extend_schema_field(AwareDateTimeField())
class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


@extend_schema_field(IdField())
class IdFilter(django_filters.Filter):
    field_class = IdFormField
