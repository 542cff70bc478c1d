"""Periodic and after-commit booking work for Celery: thin wrappers over the services.

Routed to the maintenance queue (`booking.tasks.*`); the periodic ones run from beat.
"""

from celery import shared_task

from booking.models import Booking
from booking.services import attendance, waitlist


@shared_task(name="booking.tasks.release_no_shows_task")
def release_no_shows_task() -> int:
    return attendance.release_no_shows()


@shared_task(name="booking.tasks.complete_finished_task")
def complete_finished_task() -> int:
    return attendance.complete_finished()


@shared_task(name="booking.tasks.expire_offers_task")
def expire_offers_task() -> int:
    return waitlist.expire_offers()


@shared_task(name="booking.tasks.offer_freed_slot_task")
def offer_freed_slot_task(booking_id: int) -> int:
    """Offer a booking's freed time to the waiting list; returns how many offers were made."""
    booking = Booking.objects.select_related("resource").filter(pk=booking_id).first()
    if booking is None:
        return 0
    return len(waitlist.offer_slot_of(booking=booking))
