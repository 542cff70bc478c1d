"""Problem reports on the site, included at /problems/ under the namespace `operations`."""

from django.urls import path

from . import views

app_name = "operations"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/<int:resource_id>/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
]
