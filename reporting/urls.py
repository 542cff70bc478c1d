"""Statements on the public site, included at /reports/ under the namespace `reporting`."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("statements/", views.my_statements, name="my_statements"),
    path("statements/<int:pk>/download/", views.download_statement, name="download"),
]
