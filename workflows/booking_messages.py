"""Messages to bookers about their bookings, written as the booking changes.

Connected (WorkflowsConfig.ready) to booking.events' `*_recorded` signals, which are sent
inside the transaction of the change: the outbox rows commit or roll back with it.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from booking.ics import sequences
from booking.models import Booking, WaitlistEntry
from people.models import User
from workflows.notifications import absolute, recorded_booking_context
from workflows.outbox import enqueue

# Booking event -> outbox event, for those that tell the booker and need nothing special.
SIMPLE = {
    "requested": "booking_requested",
    "rejected": "booking_rejected",
    "cancelled_by_maintenance": "booking_cancelled_by_maintenance",
    "expired": "booking_expired",
    "no_show": "booking_no_show",
    "outage_warning": "booking_outage_warning",
}


def _previous_holder(booking: Booking) -> User | None:
    """The holder before the hand-over just logged (the log entry keeps their id)."""
    entry = (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking),
            object_id=str(booking.pk),
            action="booking.handed_over",
        )
        .order_by("-timestamp", "-pk")
        .first()
    )
    user_id = entry.data.get("user") if entry else None
    return User.objects.filter(pk=user_id).first() if user_id else None


def _send(event: str, booking: Booking, to: User, sequence: int, **context) -> None:
    enqueue(
        event,
        to=to,
        key=f"booking.{booking.pk}.{event}.{sequence}.user.{to.pk}",
        # The sequence is the calendar file's SEQUENCE, for events that carry one.
        context={**recorded_booking_context(booking), "sequence": sequence, **context},
    )


def on_booking_recorded(
    sender,
    *,
    booking: Booking,
    event: str,
    reason: str = "",
    by=None,
    created: bool = False,
    **kwargs,
) -> None:
    """Tell the booker (and, for a hand-over, the previous holder) what happened."""
    # The n-th logged change of this booking: a repeated event (a second move) gets its own
    # key. A booking just created has had none.
    sequence = 0 if created else sequences([booking.pk]).get(booking.pk, 0)
    context = {"reason": reason, "by": by}
    if event in ("requested", "changed", "handed_over"):  # a change may need approval again
        context["approval_reasons"] = [r.message for r in kwargs.get("approval_reasons", ())]
    if event in SIMPLE:
        _send(SIMPLE[event], booking, booking.user, sequence, **context)
    elif event == "confirmed":
        # A booking created confirmed needed no approval; one confirmed later was approved.
        approved_by = None if created else by
        _send("booking_confirmed", booking, booking.user, sequence, approved_by=approved_by,
              **context)  # fmt: skip
    elif event == "cancelled":
        own = by is not None and by.pk == booking.user_id
        name = "booking_cancelled" if own else "booking_cancelled_by_staff"
        _send(name, booking, booking.user, sequence, **context)
    elif event == "changed":
        _send("booking_changed", booking, booking.user, sequence, **context)
    elif event == "handed_over":
        previous = _previous_holder(booking)
        _send("booking_handed_over", booking, booking.user, sequence,
              previous_holder=previous, **context)  # fmt: skip
        if previous is not None and previous.pk != booking.user_id:
            _send("booking_handed_away", booking, previous, sequence,
                  holder=booking.user, **context)  # fmt: skip


def on_waitlist_recorded(sender, *, entry: WaitlistEntry, event: str, **kwargs) -> None:
    """A freed slot offered to the person waiting for it: how long it is held, where to accept."""
    if event != "waitlist_offered":
        return
    enqueue(
        "waitlist_offered",
        to=entry.user,
        key=f"waitlist.{entry.pk}.offered.{entry.offered_at:%Y%m%dT%H%M%S}.user.{entry.user_id}",
        context={
            "entry": entry,
            "when": [entry.start, entry.end],
            "accept_url": absolute(reverse("booking:mine") + "#waiting-heading"),
            "offer_expires": entry.offer_expires_at,
        },
    )
