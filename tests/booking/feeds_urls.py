"""The site's URLs with the calendar feed URLs at /bookings/feeds/, as the lead wires them."""

from django.urls import include, path

from labitory.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bookings/feeds/", include("booking.urls_feeds")),
    *site_urlpatterns,
]
