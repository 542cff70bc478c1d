"""Query-string filters every app's list endpoints share. Bad values are a 400, never a 500."""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

from .fields import AwareDateTimeField, AwareDateTimeFormField, IdField, IdFormField

TRUE_FALSE = [("true", "true"), ("false", "false")]


@extend_schema_field(AwareDateTimeField())
class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


@extend_schema_field(IdField())
class IdFilter(django_filters.Filter):
    field_class = IdFormField


# The longest slug a lab or category filter reads; a longer one is a 400.
SLUG_MAX = 100


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": SLUG_MAX})
class SlugFilter(django_filters.CharFilter):
    def __init__(self, **kwargs):
        super().__init__(max_length=SLUG_MAX, **kwargs)


class FilterSet(django_filters.FilterSet):
    """A list endpoint's filters. A filter sent empty is a 400, as the schema says (no filter
    has an empty value), like any value a filter cannot read."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and self.data[name] == "":
                empty = ValidationError(_("Leave the filter out rather than send it empty."))
                self.form.add_error(name, empty)
        return valid and not self.form.errors
