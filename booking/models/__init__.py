"""The booking domain's state, one module per noun."""

from .access import PolicyAcceptance, Qualification
from .bookings import Booking, BookingSeries, CalendarFeed, WaitlistEntry
from .questions import BookingAnswer, BookingQuestion
from .resources import (
    Closure,
    Lab,
    MaintenanceWindow,
    OpeningHours,
    Quota,
    RequiredPolicy,
    Resource,
    ResourceCategory,
)

__all__ = [
    "Booking",
    "BookingAnswer",
    "BookingQuestion",
    "BookingSeries",
    "CalendarFeed",
    "Closure",
    "Lab",
    "MaintenanceWindow",
    "OpeningHours",
    "PolicyAcceptance",
    "Qualification",
    "Quota",
    "RequiredPolicy",
    "Resource",
    "ResourceCategory",
    "WaitlistEntry",
]
