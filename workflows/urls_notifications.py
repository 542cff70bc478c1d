"""The signed-in person's notification settings, included at /account/notifications/."""

from django.urls import path

from .views import preferences

app_name = "notifications"

urlpatterns = [
    path("", preferences.notification_preferences, name="preferences"),
]
