"""Query-string filters of the resource and booking list endpoints. Bad values are a 400."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from booking.bookable import bookable_by
from booking.models import Booking, Resource
from labitory.api.filters import TRUE_FALSE, AwareDateTimeFilter, FilterSet, IdFilter, SlugFilter


class ResourceFilter(FilterSet):
    lab = SlugFilter(field_name="lab__slug", help_text="Only resources of the lab with this slug.")
    category = SlugFilter(
        field_name="category__slug",
        help_text="Only resources of the category with this slug.",
    )

    bookable = django_filters.ChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_bookable",
        help_text="true: only resources you may book (active, you are qualified if it asks "
        "for training, you accepted its current policies); false: only the others. Times, "
        "limits and the project are checked per booking (see bookings/preview/).",
    )

    class Meta:
        model = Resource
        fields = ["lab", "category", "bookable"]

    def filter_bookable(self, queryset, name: str, value: str):
        ids = bookable_by(self.request.user, queryset, now=timezone.now())
        return queryset.filter(pk__in=ids) if value == "true" else queryset.exclude(pk__in=ids)


class BookingFilter(FilterSet):
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

    mine = django_filters.ChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_mine",
        help_text="true: only your own bookings; false: only other people's (staff).",
    )

    class Meta:
        model = Booking
        fields = ["status", "resource", "start_after", "start_before", "mine"]

    def filter_mine(self, queryset, name: str, value: str):
        own = Q(user=self.request.user)
        return queryset.filter(own) if value == "true" else queryset.exclude(own)
