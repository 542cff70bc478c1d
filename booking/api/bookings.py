"""The bookings endpoints: list and read (a researcher's own; staff also their labs'), book
once or as a series, preview a booking or a change without writing, move, cancel, check in
and out.

Each parses input, calls one booking service, and renders the result. Only the booker
changes a booking here: staff who can see another person's booking get a 403 for writes.
"""

from contextlib import contextmanager

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from booking import services
from booking.models import Booking, Resource
from booking.permissions import coordinated_lab_ids, is_facility_wide
from booking.services import (
    OnBehalf,
    OnBehalfRefused,
    book_for,
    book_series,
    cancel_booking,
    change_booking,
    find_researcher,
    preview_change,
    preview_series,
    request_booking,
)
from labitory.api.fields import ID_PATTERN, parsed

from .filters import BookingFilter
from .serializers import (
    BookingChangeSerializer,
    BookingRequestSerializer,
    BookingSerializer,
    CancelSerializer,
    ChangePreviewSerializer,
    PreviewSerializer,
    SeriesSerializer,
)

SCOPE = (
    "A researcher sees their own bookings; a lab coordinator also every booking of the labs "
    "they coordinate, a site admin every booking (`mine=true` narrows to your own)."
)
SERIES_EXAMPLE = OpenApiExample(
    "Weekly, four times",
    request_only=True,
    value={
        "resource": 12,
        "project": 3,
        "start": "2030-03-05T09:30:00+01:00",
        "end": "2030-03-05T11:00:00+01:00",
        "note": "",
        "repeat": {"frequency": "WEEKLY", "interval": 1, "weekdays": ["TU"], "count": 4},
    },
)
PREVIEW_EXAMPLE = OpenApiExample(
    "Two occurrences, one refused",
    response_only=True,
    value={
        "bookable": 1,
        "refused": 1,
        "occurrences": [
            {
                "start": "2030-03-05T08:30:00Z",
                "end": "2030-03-05T10:00:00Z",
                "ok": True,
                "problems": [],
                "needs_approval": True,
                "approval_reasons": [
                    {"code": "first_booking", "message": "First booking on this instrument"}
                ],
            },
            {
                "start": "2030-03-12T08:30:00Z",
                "end": "2030-03-12T10:00:00Z",
                "ok": False,
                "problems": [
                    {
                        "code": "slot_taken",
                        "message": "Someone else has booked that time. Choose another slot.",
                        "field": "start",
                    }
                ],
                "needs_approval": False,
                "approval_reasons": [],
            },
        ],
    },
)

CHANGE_PREVIEW_EXAMPLE = OpenApiExample(
    "Longer than a rule allows without approval",
    response_only=True,
    value={
        "ok": True,
        "changes": True,
        "problems": [],
        "status": "requested",
        "needs_approval": True,
        "approval_reasons": [
            {"code": "approval_rule", "message": "Long sessions: longer than 120 minutes"}
        ],
    },
)


@contextmanager
def resource_must_exist():
    """A booking service that finds no resource by the id sent: a 400 on `resource`."""
    try:
        yield
    except Resource.DoesNotExist as missing:
        raise ValidationError(
            {"resource": [ErrorDetail("There is no such resource.", code="does_not_exist")]}
        ) from missing


def _wanted(request: Request, data: dict) -> dict:
    """The service arguments of a booking request, recurrence rule included."""
    return {
        "user": request.user,
        "resource": data["resource"],
        "project": data["project"],
        "start": data["start"],
        "end": data["end"],
        "answers": data["answers"],
    }


def refuse_misplaced_on_behalf(data: dict, *, previewing: bool) -> None:
    """Booking for someone is one booking, made: overrides go only with it."""
    if data["overrides"] and data["booked_for"] is None:
        raise OnBehalfRefused(
            "override_not_allowed", "Rules are overridden only when booking for a researcher."
        )
    if data["booked_for"] is not None and (previewing or data["repeat"]):
        raise OnBehalfRefused(
            "on_behalf_once", "Book for a researcher one booking at a time, without a preview."
        )


def _book_for(request: Request, data: dict) -> Booking:
    """The staff path: the same service as the admin's "Book for a researcher"."""
    researcher = find_researcher(data["booked_for"])
    with resource_must_exist():
        resource = Resource.objects.select_related("lab").get(pk=data["resource"].pk)
    on_behalf = OnBehalf(
        staff=request.user,
        overrides=frozenset(data["overrides"]),
        reason=data["override_reason"],
    )
    return book_for(
        on_behalf=on_behalf,
        researcher=researcher,
        resource=resource,
        project=data["project"],
        start=data["start"],
        end=data["end"],
        note=data["note"],
        answers=data["answers"],
    )


def _changed(booking: Booking, data: dict) -> dict:
    """The service arguments of a change: what was sent, the rest as the booking is."""
    return {
        "start": data.get("start", booking.start),
        "end": data.get("end", booking.end),
        "project": data.get("project", booking.project),
        "answers": data.get("answers"),
    }


@extend_schema_view(
    list=extend_schema(summary="Bookings you may see, by start", description=SCOPE),
    retrieve=extend_schema(
        summary="One booking you may see", description=SCOPE + " Any other is a 404."
    ),
)
class BookingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bookings in the caller's scope. One outside it is a 404, whatever the method; one in
    it that is not the caller's own is a 403 for every change."""

    queryset = Booking.objects.none()
    serializer_class = BookingSerializer
    filterset_class = BookingFilter
    lookup_value_regex = ID_PATTERN
    create_names_by_id = True  # `booked_for` of nobody is a 404 `unknown_user`

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        user = self.request.user
        bookings = Booking.objects.select_related(
            "resource", "project", "user", "made_by_staff__staff"
        ).prefetch_related("answers")
        if not is_facility_wide(user):
            bookings = bookings.filter(
                Q(user=user) | Q(resource__lab_id__in=coordinated_lab_ids(user))
            )
        return bookings.order_by("start", "pk")

    def filter_queryset(self, queryset):
        # Filters narrow the list only; they never hide the booking a write is aimed at.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def own_booking(self) -> Booking:
        booking = self.get_object()
        if booking.user_id != self.request.user.pk:
            raise PermissionDenied("Only the person who booked can change this booking.")
        return booking

    @extend_schema(
        summary="Book a resource, once or as a series",
        description="Every booking rule is checked. A booking is `confirmed`, or `requested` "
        "when it needs approval; the status cannot be chosen. With `repeat`, every occurrence "
        "that can be booked is booked under one series and the others are listed in `skipped` "
        "(as on the web form); when none can be, nothing is written and `problems` lists each "
        "occurrence's, `field` starting `occurrences.<n>`. Staff of the resource's lab book "
        "for a researcher with `booked_for` (once), every rule applying to the researcher less "
        "the `overrides`, each with an `override_reason`: 403 `not_lab_staff` (not the lab's "
        "staff) or `override_not_allowed`, 404 `unknown_user`, 400 `not_a_researcher`, "
        "`override_reason_missing` or `on_behalf_once` (with `repeat`); nothing is written.",
        request=BookingRequestSerializer,
        responses={
            201: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="Booked",
                    serializers=[BookingSerializer, SeriesSerializer],
                    resource_type_field_name=None,
                ),
                description="The booking; with `repeat`, the series.",
            )
        },
        examples=[SERIES_EXAMPLE],
    )
    def create(self, request: Request) -> Response:
        data = parsed(BookingRequestSerializer, request.data)
        refuse_misplaced_on_behalf(data, previewing=False)
        if data["booked_for"] is not None:
            booking = _book_for(request, data)
        elif data["repeat"]:
            return self._create_series(request, data)
        else:
            with resource_must_exist():
                booking = request_booking(**_wanted(request, data), note=data["note"])
        location = reverse("api:booking-detail", args=[booking.pk])
        return Response(
            BookingSerializer(booking).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    def _create_series(self, request: Request, data: dict) -> Response:
        with resource_must_exist():
            series, verdicts = book_series(
                **_wanted(request, data), rule=data["repeat"], note=data["note"]
            )
        answer = {
            "series": series,
            "bookings": series.bookings.select_related("resource", "project", "user")
            .prefetch_related("answers")
            .order_by("start"),
            "skipped": [occurrence for occurrence in verdicts if not occurrence.is_free],
        }
        return Response(SeriesSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Check a booking, once or as a series, without booking",
        description="The same request as booking. Each occurrence's verdict: bookable, "
        "whether it would wait for approval and why, or every rule it breaks with the rules' "
        "codes. Nothing is written. A request that cannot be read is a 400.",
        request=BookingRequestSerializer,
        responses={200: PreviewSerializer},
        examples=[SERIES_EXAMPLE, PREVIEW_EXAMPLE],
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def preview(self, request: Request) -> Response:
        data = parsed(BookingRequestSerializer, request.data)
        refuse_misplaced_on_behalf(data, previewing=True)
        with resource_must_exist():
            verdicts = preview_series(**_wanted(request, data), rule=data["repeat"])
        bookable = sum(occurrence.is_free for occurrence in verdicts)
        answer = {
            "bookable": bookable,
            "refused": len(verdicts) - bookable,
            "occurrences": verdicts,
        }
        return Response(PreviewSerializer(answer).data)

    @extend_schema(
        summary="Move a booking or charge it to another project",
        description="Re-checked against every rule, as a new booking would be. Fields left out "
        "stay as they are. A change that needs approval puts the booking back to `requested` "
        "(its time still held) with a fresh approval request, replacing any it was waiting "
        "on; one that no longer needs approval confirms it. Ask "
        "`POST /api/v1/bookings/{id}/preview/` first to know which, and why.",
        request=BookingChangeSerializer,
        responses=BookingSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        booking = self.own_booking()
        data = parsed(BookingChangeSerializer, request.data)
        if not data:
            return Response(BookingSerializer(booking).data)
        changed = change_booking(booking=booking, by=request.user, **_changed(booking, data))
        return Response(BookingSerializer(changed).data)

    @extend_schema(
        operation_id="bookings_change_preview",
        summary="Check a change to a booking without making it",
        description="The same body as the change (`PATCH`). Says whether the change can be "
        "made (else every rule it breaks, with the rules' codes), the status the booking "
        "would have after it, and whether and why it would wait for approval. Nothing is "
        "locked or written. A booking that cannot be changed is a 409 `illegal_transition`.",
        request=BookingChangeSerializer,
        responses={200: ChangePreviewSerializer},
        examples=[CHANGE_PREVIEW_EXAMPLE],
    )
    @action(detail=True, methods=["post"], url_path="preview", filter_backends=[])
    def preview_change(self, request: Request, pk: str) -> Response:
        booking = self.own_booking()
        data = parsed(BookingChangeSerializer, request.data)
        judged = preview_change(booking=booking, **_changed(booking, data))
        return Response(ChangePreviewSerializer(judged).data)

    @extend_schema(
        summary="Cancel a booking",
        description="After the resource's cut-off the cancellation is marked late.",
        request=CancelSerializer,
        responses=BookingSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        booking = self.own_booking()
        data = parsed(CancelSerializer, request.data)
        cancelled = cancel_booking(booking=booking, by=request.user, reason=data["reason"])
        return Response(BookingSerializer(cancelled).data)

    @extend_schema(
        summary="Check in to a confirmed booking",
        description="From 15 minutes before the start until the resource's check-in window "
        "closes (409 `check_in_not_open` or `check_in_closed`; `illegal_transition` for a "
        "booking that is not confirmed). No body.",
        request=None,
        responses=BookingSerializer,
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        booking = services.check_in(booking=self.own_booking(), by=request.user)
        return Response(BookingSerializer(booking).data)

    @extend_schema(
        summary="Check out of a checked-in booking",
        description="The booking is completed (409 `not_checked_in` before check-in). No body.",
        request=None,
        responses=BookingSerializer,
    )
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request: Request, pk: str) -> Response:
        booking = services.check_out(booking=self.own_booking(), by=request.user)
        return Response(BookingSerializer(booking).data)
