"""Query-string filters of the approvals list."""

from labitory.api.filters import FilterSet, IdFilter, SlugFilter
from workflows.models import ApprovalTask


class ApprovalTaskFilter(FilterSet):
    resource = IdFilter(
        field_name="request__booking__resource_id", help_text="Only bookings of this resource."
    )
    lab = SlugFilter(
        field_name="request__booking__resource__lab__slug",
        help_text="Only bookings of resources of the lab with this slug.",
    )

    class Meta:
        model = ApprovalTask
        fields = ["resource", "lab"]
