"""Show times in the facility's zone, as set in the Wagtail site settings."""

import zoneinfo

from django.utils import timezone


def facility_zone(request) -> zoneinfo.ZoneInfo | None:
    """The zone of the request's site, or None when no site or a bad zone name is set."""
    from labpages.models import FacilitySettings

    try:
        zone_name = FacilitySettings.for_request(request).time_zone
    except FacilitySettings.DoesNotExist:
        # No Wagtail Site matches yet (a fresh install): the admin and /healthz must still
        # answer, in the project's default zone.
        return None
    try:
        return zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class FacilityTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = facility_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
