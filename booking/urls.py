"""Researchers' booking screens, included at /bookings/ under the namespace `booking`."""

from django.urls import path

from .views import bookings, find, waitlist

app_name = "booking"

urlpatterns = [
    path("", bookings.my_bookings, name="mine"),
    path("new/<int:resource_id>/", bookings.new_booking, name="new"),
    path("new/<int:resource_id>/estimate/", bookings.estimate_view, name="estimate"),
    path("<int:pk>/", bookings.booking_detail, name="detail"),
    path("find/", find.find, name="find"),
    path("<int:pk>/cancel/", bookings.cancel, name="cancel"),
    path("<int:pk>/change/", bookings.change, name="change"),
    path("waitlist/join/<int:resource_id>/", waitlist.join, name="waitlist_join"),
    path("waitlist/<int:pk>/accept/", waitlist.accept, name="waitlist_accept"),
    path("waitlist/<int:pk>/leave/", waitlist.leave, name="waitlist_leave"),
    path("<int:pk>/check-in/", bookings.check_in_view, name="check_in"),
    path("<int:pk>/check-out/", bookings.check_out_view, name="check_out"),
    path("policies/<int:page_id>/accept/", bookings.accept_policy_view, name="accept_policy"),
]
