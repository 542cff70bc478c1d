"""Listing filters whose lab and resource choices are limited to the user's labs."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from ..models import Booking, Closure, Lab, MaintenanceWindow, Qualification, Resource
from ..permissions import labs_in_scope


def _labs(request) -> QuerySet[Lab]:
    return labs_in_scope(request.user) if request else Lab.objects.none()


def _resources(request) -> QuerySet[Resource]:
    return Resource.objects.filter(lab__in=_labs(request))


class ResourceFilterSet(WagtailFilterSet):
    lab = django_filters.ModelChoiceFilter(queryset=_labs, empty_label="All labs")
    is_active = django_filters.BooleanFilter(label="Active", widget=BooleanRadioSelect)

    class Meta:
        model = Resource
        fields = ["lab", "category", "is_active"]


class BookingFilterSet(WagtailFilterSet):
    """Resource, lab, status, who booked (name or email) and when the booking starts."""

    resource = django_filters.ModelChoiceFilter(queryset=_resources, empty_label="All resources")
    lab = django_filters.ModelChoiceFilter(
        field_name="resource__lab", queryset=_labs, label="Lab", empty_label="All labs"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Booking.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    user = django_filters.CharFilter(
        label="Booked by", method="filter_user", help_text="Part of a name or email address."
    )
    start = django_filters.DateFromToRangeFilter(
        label="Starts between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Booking
        fields = ["resource", "lab", "status", "user", "start"]

    def filter_user(self, queryset: QuerySet[Booking], name: str, value: str) -> QuerySet[Booking]:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(user__email__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
        return queryset


class ClosureFilterSet(WagtailFilterSet):
    lab = django_filters.ModelChoiceFilter(
        queryset=_labs, method="filter_lab", label="Lab", empty_label="All labs"
    )
    starts_at = django_filters.DateFromToRangeFilter(
        label="Starts between", widget=DateRangePickerWidget
    )

    class Meta:
        model = Closure
        fields = ["lab", "starts_at"]

    def filter_lab(self, queryset: QuerySet[Closure], name: str, value: Lab) -> QuerySet[Closure]:
        return queryset.filter(Q(lab=value) | Q(resource__lab=value))


class MaintenanceWindowFilterSet(WagtailFilterSet):
    resource = django_filters.ModelChoiceFilter(queryset=_resources, empty_label="All resources")
    starts_at = django_filters.DateFromToRangeFilter(
        label="Starts between", widget=DateRangePickerWidget
    )

    class Meta:
        model = MaintenanceWindow
        fields = ["resource", "starts_at"]


class QualificationFilterSet(WagtailFilterSet):
    resource = django_filters.ModelChoiceFilter(queryset=_resources, empty_label="All resources")

    class Meta:
        model = Qualification
        fields = ["resource"]
