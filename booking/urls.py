"""Researchers' booking screens, included at /bookings/ under the namespace `booking`."""

from django.urls import path

from . import find_views, views, waitlist_views

app_name = "booking"

urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("new/<int:resource_id>/", views.new_booking, name="new"),
    path("<int:pk>/", views.booking_detail, name="detail"),
    path("find/", find_views.find, name="find"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/change/", views.change, name="change"),
    path("waitlist/join/<int:resource_id>/", waitlist_views.join, name="waitlist_join"),
    path("waitlist/<int:pk>/accept/", waitlist_views.accept, name="waitlist_accept"),
    path("waitlist/<int:pk>/leave/", waitlist_views.leave, name="waitlist_leave"),
    path("<int:pk>/check-in/", views.check_in_view, name="check_in"),
    path("<int:pk>/check-out/", views.check_out_view, name="check_out"),
    path("policies/<int:page_id>/accept/", views.accept_policy_view, name="accept_policy"),
]
