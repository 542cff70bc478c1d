"""The one pricing function. The booking form's estimate, each usage record's amount and
every statement line come from `price()`, so the three can never disagree.

Rules: the rate card in force on the booking's start date (in the facility's zone) for the
booker's category prices it; billed time is rounded up to the card's increment; the amount is
hours × hourly rate plus the per-booking fee, never below the minimum charge; a no-show or
late cancellation is that booked price times the card's percentage for it. Money is Decimal,
rounded half-up to the penny once, at the end.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from booking.models import Resource
from labitory.clock import facility_zone
from people.models import Project, User

from .models import RateCard, UsageRecord

PENNY = Decimal("0.01")
HUNDRED = Decimal("100")
MINUTES_PER_HOUR = Decimal("60")


@dataclass(frozen=True)
class Price:
    """What a stretch of time on a resource costs one user category, and why."""

    kind: str
    rate_card: RateCard | None
    billed_minutes: int
    amount: Decimal | None

    @property
    def is_priced(self) -> bool:
        return self.amount is not None

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.billed_minutes) / MINUTES_PER_HOUR).quantize(PENNY, ROUND_HALF_UP)

    @property
    def hourly_rate(self) -> Decimal | None:
        return self.rate_card.hourly_rate if self.rate_card else None


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(facility_zone()).date()


def rate_card_for(
    resource: Resource, category: str, day: datetime.date, kind: str = RateCard.Kind.BOOKING
) -> RateCard | None:
    """The card of `kind` in force on `day`; cards of one resource, kind and category never
    overlap."""
    return (
        RateCard.objects.filter(
            resource=resource, kind=kind, category=category, effective_from__lte=day
        )
        .exclude(effective_to__lt=day)
        .order_by("-effective_from")
        .first()
    )


def rounded_up(minutes: int, increment: int) -> int:
    return -(-minutes // increment) * increment


def charge(card: RateCard, minutes: int, kind: str) -> tuple[int, Decimal]:
    """Billed minutes and amount on `card` for `minutes` of `kind`."""
    billed = rounded_up(minutes, card.rounding_minutes) if minutes > 0 else 0
    amount = Decimal(billed) * card.hourly_rate / MINUTES_PER_HOUR + card.booking_fee
    amount = max(amount, card.minimum_charge)
    if kind == UsageRecord.Kind.NO_SHOW:
        amount = amount * card.no_show_percent / HUNDRED
    elif kind == UsageRecord.Kind.LATE_CANCELLATION:
        amount = amount * card.late_cancellation_percent / HUNDRED
    return billed, amount.quantize(PENNY, ROUND_HALF_UP)


def price(
    *,
    resource: Resource,
    category: str,
    start: datetime.datetime,
    end: datetime.datetime,
    kind: str = UsageRecord.Kind.USAGE,
    booked_start: datetime.datetime | None = None,
    card: RateCard | None = None,
) -> Price:
    """Price `start`–`end` on `resource` for a user of `category`.

    A training session (`kind` training) is priced by the resource's training card, anything
    else by its booking card. The card is the one in force on the booking's start date
    (`booked_start`, default `start`) unless given. Without a card the price is unpriced
    (amount None), never zero.
    """
    card_kind = (
        RateCard.Kind.TRAINING if kind == UsageRecord.Kind.TRAINING else RateCard.Kind.BOOKING
    )
    card = card or rate_card_for(resource, category, local_date(booked_start or start), card_kind)
    # In UTC: Python subtracts two times of one zone by the wall clock, which gains or loses
    # the hour the clocks change.
    elapsed = end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC)
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if card is None:
        return Price(kind=kind, rate_card=None, billed_minutes=minutes, amount=None)
    billed, amount = charge(card, minutes, kind)
    return Price(kind=kind, rate_card=card, billed_minutes=billed, amount=amount)


def estimate_booking(
    resource: Resource,
    user: User,
    project: Project | None,
    start: datetime.datetime,
    end: datetime.datetime,
) -> Decimal | None:
    """What a booking would cost if used as booked; None when no rate card applies.

    The project does not change the price today; it is part of the contract so that
    callers (the booking form, approval rules) need not change if it ever does.
    """
    return price(resource=resource, category=user.category, start=start, end=end).amount
