"""Training endpoints: your qualifications, your requests, and asking for training. Asking
goes through `training.services.request_training`; its refusals keep their codes and take
their HTTP status from the project's one table (labitory/refusals.py)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from booking.models import Qualification, Resource
from labitory.api.fields import ID_PATTERN, parsed

from ..models import TrainingRequest
from ..services import request_training
from .serializers import (
    NewTrainingRequestSerializer,
    QualificationSerializer,
    TrainingRequestSerializer,
)


@extend_schema_view(
    list=extend_schema(summary="Your qualifications: instrument, level and expiry"),
)
class QualificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = Qualification.objects.none()
    serializer_class = QualificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Qualification.objects.none()
        return (
            Qualification.objects.filter(user=self.request.user)
            .select_related("resource")
            .order_by("resource__name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Your requests for training, newest first"),
    retrieve=extend_schema(summary="One of your requests; anyone else's is a 404"),
)
class TrainingRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = TrainingRequest.objects.none()
    serializer_class = TrainingRequestSerializer
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrainingRequest.objects.none()
        return (
            TrainingRequest.objects.filter(requester=self.request.user)
            .select_related("resource", "session")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        summary="Ask for training on an instrument",
        description="The lab's trainers are told. Refusals: `invalid` (400, also for an unknown "
        "instrument), `resource_inactive`, `training_not_required`, `note_too_long` (400), "
        "`already_requested` (409: you have an open request for it).",
        request=NewTrainingRequestSerializer,
        responses={201: TrainingRequestSerializer},
        examples=[OpenApiExample("Ask", value={"resource": 3, "note": "Used an Aria II."})],
    )
    def create(self, request: Request) -> Response:
        data = parsed(NewTrainingRequestSerializer, request.data)
        resource = Resource.objects.select_related("lab").filter(pk=data["resource"]).first()
        if resource is None:  # as the booking API says it: a 400 on `resource`
            raise ValidationError(
                {"resource": [ErrorDetail("There is no such instrument.", code="does_not_exist")]}
            )
        made = request_training(resource=resource, by=request.user, note=data["note"])
        return Response(
            TrainingRequestSerializer(made).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:training-request-detail", args=[made.pk])},
        )
