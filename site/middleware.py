"""Show times in the facility's zone, as set in the Wagtail site settings; keep the admin
to the methods its screens use."""

from django.http import HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone

from labitory.clock import facility_zone

# The health check reports on the database and the cache itself, so it must answer even
# when reading the facility's zone from them would fail.
UNZONED_PATHS = ("/healthz",)


class FacilityTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in UNZONED_PATHS:
            return self.get_response(request)
        timezone.activate(facility_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class AdminFormMethodsMiddleware:
    """The admin's screens are forms: GET shows, POST acts. Any other method is a 405 there.

    Django's generic delete view also answers an HTTP DELETE by deleting at once, past
    Wagtail's protection check, hooks and log; no admin screen sends one.
    """

    ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if request.method not in self.ALLOWED and request.path_info.startswith(self.prefix):
            return HttpResponseNotAllowed(self.ALLOWED)
        return self.get_response(request)
