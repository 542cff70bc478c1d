"""Query-string filters of the list endpoints. Bad values are a 400, never a 500."""

import django_filters
from drf_spectacular.utils import extend_schema_field

from booking.models import Booking, Resource

from .fields import AwareDateTimeField, AwareDateTimeFormField, IdField, IdFormField


@extend_schema_field(AwareDateTimeField())
class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


@extend_schema_field(IdField())
class IdFilter(django_filters.Filter):
    field_class = IdFormField


class ResourceFilter(django_filters.FilterSet):
    lab = django_filters.CharFilter(
        field_name="lab__slug", max_length=80, help_text="Only resources of the lab with this slug."
    )
    category = django_filters.CharFilter(
        field_name="category__slug",
        max_length=100,
        help_text="Only resources of the category with this slug.",
    )

    class Meta:
        model = Resource
        fields = ["lab", "category"]


class BookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Booking.Status.choices)
    resource = IdFilter(field_name="resource_id", help_text="Only bookings of this resource.")
    start_after = AwareDateTimeFilter(
        field_name="start",
        lookup_expr="gte",
        help_text="Only bookings starting at or after this time (ISO 8601 with offset).",
    )
    start_before = AwareDateTimeFilter(
        field_name="start",
        lookup_expr="lt",
        help_text="Only bookings starting before this time (ISO 8601 with offset).",
    )

    class Meta:
        model = Booking
        fields = ["status", "resource", "start_after", "start_before"]
