"""Times relative to the real clock, and a booking made through the service, for API tests.

The API books against the real `now`, so bookings here are made a few days ahead.
"""

import datetime

from django.utils import timezone

from booking.models import Booking
from booking.services import request_booking
from labitory.clock import facility_zone
from people.models import User


def soon(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A facility-local time `days` days after today."""
    zone = facility_zone()
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def utc(moment: datetime.datetime) -> str:
    """How the API writes a time: ISO 8601 in UTC with a Z."""
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def book(user: User, resource, project, start, end) -> Booking:
    return request_booking(user=user, resource=resource, project=project, start=start, end=end)
