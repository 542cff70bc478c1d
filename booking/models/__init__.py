"""The booking domain's state, one module per noun."""

from .access import PolicyAcceptance, Qualification
from .bookings import Booking
from .resources import (
    Closure,
    Lab,
    MaintenanceWindow,
    OpeningHours,
    Quota,
    Resource,
    ResourceCategory,
)

__all__ = [
    "Booking",
    "Closure",
    "Lab",
    "MaintenanceWindow",
    "OpeningHours",
    "PolicyAcceptance",
    "Qualification",
    "Quota",
    "Resource",
    "ResourceCategory",
]
