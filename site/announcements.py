"""Announcements an app makes for whichever app listens, so that it imports none of them.

Booking has its own (booking.events); this is for the apps above booking, which must not
import each other: reporting announces, workflows (the outbox) subscribes in its apps.py.
"""

from django.dispatch import Signal

# Sent inside the transaction that finished a billing period's batch of statements.
# Arguments: batch (unique to the period and batch), title, path (the statements page), lines.
statements_ready = Signal()
