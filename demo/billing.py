"""Demo money: rate cards for every instrument and user category, a price rise on
1 September 2026 (so old months visibly reprice at the old rates), usage records for the
demo's past bookings, and last month's statements queued for rendering.

Creates only what is missing, like the rest of the demo.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from booking.models import Resource
from labitory.clock import facility_zone
from people.models import User
from reporting.models import RateCard, Statement
from reporting.services import period_containing, request_statements
from reporting.services.usage import record_missing_usage

# Internal hourly rate by resource category; other categories pay a multiple of it.
BASE_RATES = {
    "light-microscopy": Decimal("42.00"),
    "flow-cytometry": Decimal("55.00"),
    "sample-preparation": Decimal("18.00"),
    "mass-spectrometry": Decimal("85.00"),
    "electron-microscopy": Decimal("120.00"),
    "x-ray-crystallography": Decimal("60.00"),
}
CATEGORY_TERMS = {
    # category: (rate multiple, per-booking fee, minimum charge, no-show %, late-cancel %)
    User.Category.INTERNAL: (Decimal("1"), Decimal("0"), Decimal("0"), Decimal("50"), Decimal("0")),
    User.Category.EXTERNAL_ACADEMIC: (
        Decimal("1.5"),
        Decimal("10.00"),
        Decimal("25.00"),
        Decimal("50"),
        Decimal("25"),
    ),
    User.Category.INDUSTRY: (
        Decimal("3"),
        Decimal("25.00"),
        Decimal("150.00"),
        Decimal("100"),
        Decimal("50"),
    ),
}
FIRST_DAY = datetime.date(2025, 1, 1)
PRICE_RISE = datetime.date(2026, 9, 1)
RISE = Decimal("1.05")


def seed_demo_billing(now: datetime.datetime | None = None) -> dict[str, int]:
    """Create the missing demo money records; return how many of each kind were made."""
    now = now or timezone.now()
    cards = sum(ensure_rate_cards(resource) for resource in Resource.objects.all())
    usage = record_missing_usage(since=now - datetime.timedelta(days=400))
    today = now.astimezone(facility_zone()).date()
    last_month = period_containing(today.replace(day=1) - datetime.timedelta(days=1))
    statements = 0
    if usage and not Statement.objects.filter(period=last_month).exists():
        statements = len(request_statements(period=last_month))
    return {"rate cards": cards, "usage records": usage, "statements queued": statements}


def ensure_rate_cards(resource: Resource) -> int:
    """Two cards per category (before and after the price rise) for a resource with none."""
    if resource.rate_cards.exists():
        return 0
    base = BASE_RATES.get(resource.category.slug, Decimal("30.00"))
    made = 0
    for category, (multiple, fee, minimum, no_show, late) in CATEGORY_TERMS.items():
        terms = {
            "resource": resource,
            "category": category,
            "booking_fee": fee,
            "minimum_charge": minimum,
            "rounding_minutes": 15,
            "no_show_percent": no_show,
            "late_cancellation_percent": late,
        }
        old = (base * multiple).quantize(Decimal("0.01"))
        RateCard.objects.create(
            **terms,
            hourly_rate=old,
            effective_from=FIRST_DAY,
            effective_to=PRICE_RISE - datetime.timedelta(days=1),
        )
        RateCard.objects.create(
            **terms, hourly_rate=(old * RISE).quantize(Decimal("0.01")), effective_from=PRICE_RISE
        )
        made += 2
    return made
