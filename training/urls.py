"""Training on the site, included at /training/ under the namespace `training`."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("request/<int:resource_id>/", views.request_view, name="request"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("sessions/<int:pk>/", views.session_view, name="session"),
    path("sessions/<int:pk>/join/", views.join, name="join"),
    path("sessions/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("labs/<int:lab_id>/", views.lab, name="lab"),
    path("labs/<int:lab_id>/sessions/new/", views.schedule, name="schedule"),
    path("labs/<int:lab_id>/export/<str:fmt>/", views.export, name="export"),
]
