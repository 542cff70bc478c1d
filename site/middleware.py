"""Show times in the facility's zone, as set in the Wagtail site settings."""

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
