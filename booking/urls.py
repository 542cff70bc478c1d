"""Researchers' booking screens, included at /bookings/ under the namespace `booking`."""

from django.urls import path

from .views import bookings, checkin, find, mine, waitlist

app_name = "booking"

urlpatterns = [
    path("", mine.my_bookings, name="mine"),
    path("new/<int:resource_id>/", bookings.new_booking, name="new"),
    path("new/<int:resource_id>/estimate/", bookings.estimate_view, name="estimate"),
    path("<int:pk>/", bookings.booking_detail, name="detail"),
    path("<int:pk>/calendar.ics", bookings.booking_calendar_file, name="ics"),
    path("find/", find.find, name="find"),
    path("<int:pk>/cancel/", bookings.cancel, name="cancel"),
    path("<int:pk>/change/", bookings.change, name="change"),
    path("waitlist/join/<int:resource_id>/", waitlist.join, name="waitlist_join"),
    path("waitlist/<int:pk>/accept/", waitlist.accept, name="waitlist_accept"),
    path("waitlist/<int:pk>/leave/", waitlist.leave, name="waitlist_leave"),
    path("<int:pk>/check-in/", bookings.check_in_view, name="check_in"),
    path("<int:pk>/check-out/", bookings.check_out_view, name="check_out"),
    path("policies/<int:page_id>/accept/", bookings.accept_policy_view, name="accept_policy"),
    # An instrument's QR code opens its check-in page; its coordinators print the sign.
    path(
        "instruments/<int:resource_id>/check-in/",
        checkin.instrument_check_in,
        name="instrument_check_in",
    ),
    path("instruments/<int:resource_id>/sign/", checkin.instrument_sign, name="instrument_sign"),
    path("instruments/<int:resource_id>/kiosk/", checkin.kiosk_enable, name="kiosk_enable"),
    path("instruments/<int:resource_id>/kiosk/revoke/", checkin.kiosk_revoke, name="kiosk_revoke"),
]
