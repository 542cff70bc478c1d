"""API endpoints for resources (bookings: bookings.py). Each parses input,
calls one booking service or query, and renders the result; refusals become JSON errors in
errors.py. None of them writes a model."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from booking import queries
from booking.models import Resource
from booking.permissions import can_see_booker_names
from labitory.api.fields import ID_PATTERN, parsed, utc_text
from labitory.clock import facility_zone

from .filters import ResourceFilter
from .serializers import AvailabilitySerializer, ResourceSerializer, WindowSerializer


@extend_schema_view(
    list=extend_schema(summary="Active resources, by lab and name"),
    retrieve=extend_schema(summary="One active resource and its booking rules"),
)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Resource.objects.filter(is_active=True)
        .select_related("lab", "category")
        .prefetch_related("questions")
        .order_by("lab__name", "name", "pk")
    )
    serializer_class = ResourceSerializer
    filterset_class = ResourceFilter
    lookup_value_regex = ID_PATTERN

    @extend_schema(
        summary="Free and busy intervals of the resource within a window of at most 31 days",
        description="Busy time shows researchers no one else's details; the resource's lab "
        "coordinators and site admins see each booking with its booker.",
        parameters=[WindowSerializer],
        responses=AvailabilitySerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def availability(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        window = parsed(WindowSerializer, request.query_params)
        start, end = window["start"], window["end"]
        calendar = queries.calendar(resource, start, end, viewer=request.user)
        if can_see_booker_names(request.user, resource):
            busy = _with_bookers(resource, start, end, calendar.busy)
        else:
            busy = [_busy(block) for block in calendar.busy]
        # Written directly (the shape AvailabilitySerializer documents): the hottest read.
        return Response(
            {
                "resource": resource.pk,
                "start": utc_text(start),
                "end": utc_text(end),
                "time_zone": facility_zone().key,
                "free": [{"start": utc_text(s), "end": utc_text(e)} for s, e in calendar.free],
                "busy": busy,
            }
        )


def _busy(block: queries.BusyBlock, **booking) -> dict:
    """A busy interval as the API writes it; `booking` holds the staff-only fields."""
    return {
        "start": utc_text(block.start),
        "end": utc_text(block.end),
        "kind": block.kind,
        "label": block.label,
        "booking": block.booking_id,
        "status": block.status or None,
        "booker": None,
        "booker_name": None,
        **booking,
    }


def _with_bookers(resource: Resource, start, end, blocks: list[queries.BusyBlock]) -> list[dict]:
    """For the resource's lab staff: each booking with its booker, and the blocked time."""
    held = [
        (
            queries.BusyBlock(
                booking.start,
                booking.end,
                "booking",
                f"{booking.user.name} ({booking.get_status_display().lower()})",
                booking.pk,
                booking.status,
            ),
            {"booker": booking.user_id, "booker_name": booking.user.name},
        )
        for booking in queries.booked_by(resource, start, end)
    ]
    blocked = [(block, {}) for block in blocks if block.kind in ("closed", "maintenance", "down")]
    ordered = sorted(held + blocked, key=lambda pair: (pair[0].start, pair[0].end))
    return [_busy(block, **booker) for block, booker in ordered]
