"""Calendar feed URLs, included at /bookings/feeds/ under the namespace `booking_feeds`."""

from django.urls import path, re_path

from .views import feeds

app_name = "booking_feeds"

urlpatterns = [
    path("", feeds.calendar_feeds, name="manage"),
    path("<int:pk>/stop/", feeds.stop_feed, name="stop"),
    # Tokens are URL-safe base64; anything else is not a feed and never reaches the view.
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,128})\.ics$", feeds.calendar_feed, name="feed"),
]
