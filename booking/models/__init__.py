"""The booking domain's state, one module per noun."""

from .access import PolicyAcceptance, Qualification
from .bookings import Booking, BookingSeries, CalendarFeed, StaffBooking, WaitlistEntry
from .kiosks import Kiosk
from .questions import BookingAnswer, BookingQuestion
from .resources import (
    Closure,
    Lab,
    MaintenanceWindow,
    OpeningHours,
    Outage,
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
    "Kiosk",
    "Lab",
    "MaintenanceWindow",
    "OpeningHours",
    "Outage",
    "PolicyAcceptance",
    "Qualification",
    "Quota",
    "RequiredPolicy",
    "Resource",
    "ResourceCategory",
    "StaffBooking",
    "WaitlistEntry",
]
