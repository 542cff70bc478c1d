"""API endpoints for the projects a caller may charge."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from labitory.api.fields import ID_PATTERN
from people.models import Project

from .filters import ProjectFilter
from .serializers import ProjectSerializer


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
