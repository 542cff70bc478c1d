"""Researchers' booking screens, one module per noun: bookings, waiting list, finding time,
calendar feeds."""
