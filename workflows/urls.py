"""Approvers' screens, included at /approvals/ under the namespace `workflows`."""

from django.urls import path

from .views import approvals

app_name = "workflows"

urlpatterns = [
    path("", approvals.queue, name="queue"),
    path("<int:task_id>/", approvals.decide, name="decide"),
    path("link/<str:token>/", approvals.link, name="link"),
]
