"""Show times in the facility's zone, as set in the Wagtail site settings."""

from django.utils import timezone

from booking.clock import facility_zone


class FacilityTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(facility_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
