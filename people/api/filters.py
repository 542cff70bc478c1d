"""Query-string filters of the projects endpoint."""

import django_filters
from django.utils import timezone

from labitory.api.filters import TRUE_FALSE, FilterSet
from labitory.clock import facility_zone
from people.models import Project


class ProjectFilter(FilterSet):
    active = django_filters.ChoiceFilter(
        choices=TRUE_FALSE,
        method="filter_active",
        help_text="true: only projects that can be charged today; false: only the others.",
    )

    class Meta:
        model = Project
        fields = ["active"]

    def filter_active(self, queryset, name: str, value: str):
        today = timezone.now().astimezone(facility_zone()).date()
        active = Project.objects.active_on(today).values("pk")
        return (
            queryset.filter(pk__in=active) if value == "true" else queryset.exclude(pk__in=active)
        )
