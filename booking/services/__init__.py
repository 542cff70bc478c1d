"""Every change to booking state, one module per noun. Views, forms, the API, the admin and
tasks call these and nothing else."""

from .attendance import (
    AttendanceRefused,
    DeskAction,
    check_in,
    check_out,
    complete_finished,
    desk_actions,
    record_attendance,
    release_no_shows,
)
from .blocking import BlockRefused, bookings_hit_by
from .bookings import (
    BookingRefused,
    ChangeVerdict,
    IllegalTransition,
    cancel_booking,
    change_booking,
    preview_booking,
    preview_change,
    request_booking,
    transition,
)
from .closures import bookings_hit_by_closure, create_closure
from .feeds import issue_feed
from .maintenance import MaintenanceRefused, schedule_maintenance
from .on_behalf import OnBehalf, OnBehalfRefused, book_for, find_researcher
from .policies import PolicyUnavailable, accept_policy
from .series import Occurrence, SeriesRefused, book_series, cancel_series, preview_series
from .status import (
    StatusChange,
    StatusRefused,
    bookings_hit_by_outage,
    current_outage,
    set_resource_status,
)
from .waitlist import (
    WaitlistRefused,
    accept_offer,
    expire_offers,
    join_waitlist,
    offer_freed_slot,
    withdraw,
)

__all__ = [
    "AttendanceRefused",
    "BookingRefused",
    "ChangeVerdict",
    "DeskAction",
    "IllegalTransition",
    "MaintenanceRefused",
    "OnBehalf",
    "OnBehalfRefused",
    "BlockRefused",
    "Occurrence",
    "PolicyUnavailable",
    "SeriesRefused",
    "StatusChange",
    "StatusRefused",
    "WaitlistRefused",
    "accept_offer",
    "accept_policy",
    "book_for",
    "book_series",
    "bookings_hit_by",
    "bookings_hit_by_closure",
    "find_researcher",
    "bookings_hit_by_outage",
    "create_closure",
    "cancel_booking",
    "cancel_series",
    "change_booking",
    "check_in",
    "check_out",
    "complete_finished",
    "current_outage",
    "desk_actions",
    "expire_offers",
    "issue_feed",
    "join_waitlist",
    "offer_freed_slot",
    "preview_booking",
    "preview_change",
    "preview_series",
    "record_attendance",
    "release_no_shows",
    "request_booking",
    "schedule_maintenance",
    "set_resource_status",
    "transition",
    "withdraw",
]
