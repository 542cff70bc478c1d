"""Query-string filters of the approvals list."""

import django_filters

from labitory.api.filters import IdFilter
from workflows.models import ApprovalTask


class ApprovalTaskFilter(django_filters.FilterSet):
    resource = IdFilter(
        field_name="request__booking__resource_id", help_text="Only bookings of this resource."
    )
    lab = django_filters.CharFilter(
        field_name="request__booking__resource__lab__slug",
        max_length=80,
        help_text="Only bookings of resources of the lab with this slug.",
    )

    class Meta:
        model = ApprovalTask
        fields = ["resource", "lab"]
