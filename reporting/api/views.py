"""Usage and statement endpoints: read only, scoped by reporting/permissions.py."""

from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request

from labitory.api.fields import ID_PATTERN
from reporting.models import Statement, UsageRecord
from reporting.permissions import statements_for, usage_for
from reporting.views import statement_file

from .filters import StatementFilter, UsageFilter
from .serializers import StatementSerializer, UsageRecordSerializer

SCOPE = "Finance staff see everything; a PI sees their own projects'; anyone else, nothing."


@extend_schema_view(
    list=extend_schema(summary="Usage lines, by start", description=SCOPE),
    retrieve=extend_schema(
        summary="One usage line", description=SCOPE + " A line you may not see is a 404."
    ),
)
class UsageViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = UsageRecord.objects.none()
    serializer_class = UsageRecordSerializer
    filterset_class = UsageFilter
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return UsageRecord.objects.none()
        return usage_for(self.request.user).order_by("start", "pk")


class JsonErrors(BaseContentNegotiation):
    """The file is sent as it is; anything else (an error) as JSON, whatever Accept says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema_view(
    list=extend_schema(
        summary="Usage statements, newest period first, with status and download link",
        description=SCOPE,
    ),
    retrieve=extend_schema(
        summary="One usage statement", description=SCOPE + " A statement you may not see is a 404."
    ),
)
class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Statement.objects.none()
    serializer_class = StatementSerializer
    filterset_class = StatementFilter
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Statement.objects.none()
        return statements_for(self.request.user).order_by(
            "-period__starts_on", "project__code", "department__name", "pk"
        )

    @extend_schema(
        summary="Download a ready statement's PDF",
        description=SCOPE + " The stored file, with its SHA-256 in `X-Content-SHA256`; a "
        "statement you may not see, or not yet ready, is a 404. Works with a personal API "
        "token as well as the session.",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF.")
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        content_negotiation_class=JsonErrors,
    )
    def download(self, request: Request, pk: str) -> HttpResponseBase:
        return statement_file(request.user, int(pk))
