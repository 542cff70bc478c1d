"""Usage and statement endpoints: read only, scoped by reporting/permissions.py."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from booking.api.views import ID_PATTERN
from reporting.models import Statement, UsageRecord
from reporting.permissions import statements_for, usage_for

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
