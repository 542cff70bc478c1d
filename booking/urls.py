"""Researchers' booking screens, included at /bookings/ under the namespace `booking`."""

from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("new/<int:resource_id>/", views.new_booking, name="new"),
    path("<int:pk>/", views.booking_detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/check-in/", views.check_in_view, name="check_in"),
    path("<int:pk>/check-out/", views.check_out_view, name="check_out"),
    path("policies/<int:page_id>/accept/", views.accept_policy_view, name="accept_policy"),
]
