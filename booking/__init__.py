"""Resources, their rules and availability, bookings, recurrence, waiting list, ICS."""
