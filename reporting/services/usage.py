"""Usage records: made once per charged booking, priced by the one pricing function."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from wagtail.log_actions import log

from booking.models import Booking, Resource
from booking.queries import in_outage
from people.models import User

from ..models import BillingPeriod, UsageRecord
from ..pricing import local_date, price


def usage_kind(booking: Booking) -> str | None:
    """Which charge a booking's status makes, if any. A no-show or late cancellation while
    the instrument was down is never charged; a training session's held time is charged as
    training once it is over (only where the resource has a training card)."""
    if booking.purpose == Booking.Purpose.TRAINING:
        return UsageRecord.Kind.TRAINING if booking.status == Booking.Status.COMPLETED else None
    if booking.status == Booking.Status.COMPLETED:
        return UsageRecord.Kind.USAGE
    if booking.status == Booking.Status.NO_SHOW:
        kind = UsageRecord.Kind.NO_SHOW
    elif booking.status == Booking.Status.CANCELLED and booking.late_cancellation:
        kind = UsageRecord.Kind.LATE_CANCELLATION
    else:
        return None
    return None if in_outage(booking) else kind


def billed_interval(booking: Booking, kind: str) -> tuple[datetime.datetime, datetime.datetime]:
    """Check-in to check-out on resources billed by actual time; otherwise the booked time."""
    actual = booking.resource.billing_basis == Resource.BillingBasis.ACTUAL
    if kind == UsageRecord.Kind.USAGE and actual and booking.checked_in_at:
        return booking.checked_in_at, max(
            booking.checked_in_at, booking.checked_out_at or booking.end
        )
    return booking.start, booking.end


def record_usage(*, booking: Booking) -> UsageRecord | None:
    """The usage record of a completed, no-show or late-cancelled booking, made once.

    Idempotent: a second call (or a concurrent one) returns the existing record. Returns
    None when the booking makes no charge: not finished, or a no-show or late cancellation
    that its rate card does not charge for. A completed booking without a rate card is
    recorded unpriced, never silently at zero.
    """
    kind = usage_kind(booking)
    if kind is None:
        return None
    if existing := UsageRecord.objects.filter(booking=booking, kind=kind).first():
        return existing
    start, end = billed_interval(booking, kind)
    quote = price(
        resource=booking.resource,
        category=booking.user.category,
        start=start,
        end=end,
        kind=kind,
        booked_start=booking.start,
    )
    if kind != UsageRecord.Kind.USAGE and not quote.amount:
        return None
    fields = {
        "period": period_for_booking(booking),
        "resource": booking.resource,
        "user": booking.user,
        "user_category": booking.user.category,
        "project": booking.project,
        "department_id": booking.project.department_id,
        "start": start,
        "end": end,
        "billed_minutes": quote.billed_minutes,
        "hours": quote.hours,
        "rate_card": quote.rate_card,
        "hourly_rate": quote.hourly_rate,
        "amount": quote.amount,
    }
    try:
        with transaction.atomic():
            record = UsageRecord.objects.create(booking=booking, kind=kind, **fields)
    except IntegrityError:
        return UsageRecord.objects.get(booking=booking, kind=kind)
    log(instance=record, action="reporting.usage_recorded", user=None)
    return record


def period_for_booking(booking: Booking) -> BillingPeriod:
    from .periods import open_period_for

    return open_period_for(local_date(booking.start))


def reprice_unpriced(*, period: BillingPeriod, by: User | None) -> int:
    """Price the unpriced lines of an open period with the cards now on file; returns how
    many got a price. Lines of a closed period are never touched."""
    if not period.is_open:
        return 0
    priced = 0
    unpriced = UsageRecord.objects.filter(period=period, amount__isnull=True).select_related(
        "booking", "resource"
    )
    for record in unpriced:
        quote = price(
            resource=record.resource,
            category=record.user_category,
            start=record.start,
            end=record.end,
            kind=record.kind,
            booked_start=record.booking.start,
        )
        if not quote.is_priced:
            continue
        record.billed_minutes, record.hours = quote.billed_minutes, quote.hours
        record.rate_card, record.hourly_rate = quote.rate_card, quote.hourly_rate
        record.amount = quote.amount
        record.save(update_fields=["billed_minutes", "hours", "rate_card", "hourly_rate", "amount"])
        log(instance=record, action="reporting.usage_repriced", user=by)
        priced += 1
    return priced


def record_missing_usage(*, since: datetime.datetime) -> int:
    """Usage records for chargeable bookings since `since` that have none yet (their event
    was missed); returns how many were made. Safe to run twice: records are unique."""
    chargeable = (
        Q(status=Booking.Status.COMPLETED)
        | Q(status=Booking.Status.NO_SHOW)
        | Q(status=Booking.Status.CANCELLED, late_cancellation=True)
    )
    missing = (
        Booking.objects.filter(chargeable, start__gte=since)
        .exclude(Exists(UsageRecord.objects.filter(booking=OuterRef("pk"))))
        .select_related("resource", "user", "project")
    )
    return sum(1 for booking in missing if record_usage(booking=booking))
