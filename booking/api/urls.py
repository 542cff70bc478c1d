"""The API's routes, included at /api/v1/ under the namespace `api`.

Approvals (workflows/api/) and money (reporting/api/) sit above booking in the layering;
only this URL module, loaded once every app is ready, imports them.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from reporting.api.views import StatementViewSet, UsageViewSet
from workflows.api.views import ApprovalViewSet

from .bookings import BookingViewSet
from .views import ProjectViewSet, ResourceViewSet

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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
]
