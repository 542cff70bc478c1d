"""The API's routes, included at /api/v1/ under the namespace `api`: every app's viewsets
on one router, beside the schema and its docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from booking.api.bookings import BookingViewSet
from booking.api.views import ResourceViewSet
from people.api.views import ProjectViewSet
from reporting.api.views import StatementViewSet, UsageViewSet
from training.api.views import QualificationViewSet, TrainingRequestViewSet
from workflows.api.views import ApprovalViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("resources", ResourceViewSet, basename="resource")
router.register("bookings", BookingViewSet, basename="booking")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("projects", ProjectViewSet, basename="project")
router.register("usage", UsageViewSet, basename="usage")
router.register("statements", StatementViewSet, basename="statement")
router.register("qualifications", QualificationViewSet, basename="qualification")
router.register("training-requests", TrainingRequestViewSet, basename="training-request")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
