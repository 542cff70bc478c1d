"""Show times in the facility's zone, as set in the Wagtail site settings."""

import zoneinfo

from django.utils import timezone


class FacilityTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from labpages.models import FacilitySettings

        zone_name = FacilitySettings.for_request(request).time_zone
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
