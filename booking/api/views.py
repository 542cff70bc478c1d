"""API endpoints for resources and projects (bookings: bookings.py). Each parses input,
calls one booking service or query, and renders the result; refusals become JSON errors in
errors.py. None of them writes a model."""

import datetime

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from booking import queries
from booking.clock import facility_zone
from booking.models import Resource
from booking.permissions import can_manage_lab
from people.models import Project, User

from .filters import ProjectFilter, ResourceFilter
from .serializers import (
    AvailabilitySerializer,
    ProjectSerializer,
    ResourceSerializer,
    WindowSerializer,
)

ID_PATTERN = r"[0-9]+"


def parsed(serializer_class: type[Serializer], data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="Active resources, by lab and name"),
    retrieve=extend_schema(summary="One active resource and its booking rules"),
)
class ResourceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Resource.objects.filter(is_active=True)
        .select_related("lab", "category")
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
        free = queries.free_intervals(resource, start, end)
        answer = {
            "resource": resource.pk,
            "start": start,
            "end": end,
            "time_zone": facility_zone().key,
            "free": [{"start": s, "end": e} for s, e in free],
            "busy": busy(request.user, resource, start, end),
        }
        return Response(AvailabilitySerializer(answer).data)


def busy(user: User, resource: Resource, start: datetime.datetime, end: datetime.datetime):
    """What holds the resource within the window, as this user may see it, by start."""
    if not can_manage_lab(user, resource.lab):
        return [
            {
                "start": block.start,
                "end": block.end,
                "kind": block.kind,
                "label": block.label,
                "booking": block.booking_id,
                "status": block.status or None,
                "booker": None,
                "booker_name": None,
            }
            for block in queries.busy_blocks(resource, start, end, viewer=user)
        ]
    held = [
        {
            "start": booking.start,
            "end": booking.end,
            "kind": "booking",
            "label": f"{booking.user.name} ({booking.get_status_display().lower()})",
            "booking": booking.pk,
            "status": booking.status,
            "booker": booking.user_id,
            "booker_name": booking.user.name,
        }
        for booking in queries.booked_by(resource, start, end)
    ]
    blocked = [
        {
            "start": s,
            "end": e,
            "kind": label.split(":", 1)[0].lower(),
            "label": label,
            "booking": None,
            "status": None,
            "booker": None,
            "booker_name": None,
        }
        for (s, e), label in queries.blocked_intervals(resource, start, end)
    ]
    return sorted(held + blocked, key=lambda row: (row["start"], row["end"]))


@extend_schema_view(
    list=extend_schema(summary="Projects you lead or belong to, by code"),
    retrieve=extend_schema(summary="One of your projects"),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """The projects the caller may charge (the same set the booking rules accept)."""

    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Project.objects.none()
        return (
            Project.objects.for_member(self.request.user)
            .select_related("pi", "department")
            .order_by("code", "pk")
        )
