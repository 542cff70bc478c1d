"""API endpoints. Each parses input, calls one booking service or query, and renders the
result; refusals become JSON errors in errors.py. None of them writes a model."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from booking import queries
from booking.clock import facility_zone
from booking.models import Booking, Resource
from booking.services import cancel_booking, change_booking, request_booking
from people.models import Project

from .errors import TransitionRefused
from .filters import BookingFilter, ProjectFilter, ResourceFilter
from .serializers import (
    AvailabilitySerializer,
    BookingChangeSerializer,
    BookingRequestSerializer,
    BookingSerializer,
    CancelSerializer,
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
        summary="Free intervals of the resource within a window of at most 31 days",
        parameters=[WindowSerializer],
        responses=AvailabilitySerializer,
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def availability(self, request: Request, pk: str) -> Response:
        resource = self.get_object()
        window = parsed(WindowSerializer, request.query_params)
        free = queries.free_intervals(resource, window["start"], window["end"])
        answer = {
            "resource": resource.pk,
            "start": window["start"],
            "end": window["end"],
            "time_zone": facility_zone().key,
            "free": [{"start": start, "end": end} for start, end in free],
        }
        return Response(AvailabilitySerializer(answer).data)


@extend_schema_view(
    list=extend_schema(summary="Your bookings, by start"),
    retrieve=extend_schema(summary="One of your bookings"),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own bookings. Another person's booking is a 404, whatever the method."""

    queryset = Booking.objects.none()
    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return (
            Booking.objects.filter(user=self.request.user)
            .select_related("resource", "project")
            .order_by("start", "pk")
        )

    def filter_queryset(self, queryset):
        # Filters narrow the list only; they never hide the booking a write is aimed at.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        summary="Book a resource",
        description="Every booking rule is checked. The booking is `confirmed`, or "
        "`requested` when it needs approval; the status cannot be chosen.",
        request=BookingRequestSerializer,
        responses={201: BookingSerializer},
    )
    def create(self, request: Request) -> Response:
        data = parsed(BookingRequestSerializer, request.data)
        booking = request_booking(
            user=request.user,
            resource=data["resource"],
            project=data["project"],
            start=data["start"],
            end=data["end"],
            note=data["note"],
        )
        location = reverse("api:booking-detail", args=[booking.pk])
        return Response(
            BookingSerializer(booking).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        summary="Move a booking or charge it to another project",
        description="Re-checked against every rule. Fields left out stay as they are.",
        request=BookingChangeSerializer,
        responses=BookingSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        booking = self.get_object()
        data = parsed(BookingChangeSerializer, request.data)
        if not data:
            return Response(BookingSerializer(booking).data)
        changed = change_booking(
            booking=booking,
            by=request.user,
            start=data.get("start", booking.start),
            end=data.get("end", booking.end),
            project=data.get("project", booking.project),
        )
        return Response(BookingSerializer(changed).data)

    @extend_schema(
        summary="Cancel a booking",
        description="After the resource's cut-off the cancellation is marked late.",
        request=CancelSerializer,
        responses=BookingSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = self.get_object()
        data = parsed(CancelSerializer, request.data)
        if booking.end <= timezone.now():
            raise TransitionRefused("This booking has already ended, so it cannot be cancelled.")
        cancelled = cancel_booking(booking=booking, by=request.user, reason=data["reason"])
        return Response(BookingSerializer(cancelled).data)


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
