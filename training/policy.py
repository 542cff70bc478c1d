"""Reading a resource's training policy: how long a sign-off lasts and how it is renewed."""

import calendar
import datetime

from booking.models import Resource

from .models import TrainingPolicy

DEFAULT = TrainingPolicy(valid_months=12, renewal=TrainingPolicy.Renewal.REFRESHER)


def policy_of(resource: Resource) -> TrainingPolicy:
    """The resource's policy, or the default one (12 months, renewed by a refresher)."""
    return TrainingPolicy.objects.filter(resource=resource).first() or DEFAULT


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expiry_from(policy: TrainingPolicy, day: datetime.date) -> datetime.date | None:
    """When a sign-off (or a renewal) on `day` expires; None when the policy sets no expiry."""
    return add_months(day, policy.valid_months) if policy.valid_months else None


def how_to_renew(policy: TrainingPolicy) -> str:
    """One sentence for the holder, on their page and in their reminders."""
    if policy.renewal == TrainingPolicy.Renewal.RECENT_USE:
        return (
            f"Using the instrument within {policy.recent_use_days} days before the expiry "
            "renews it; otherwise request training again."
        )
    if policy.renewal == TrainingPolicy.Renewal.REFRESHER:
        return "Request a refresher session before it expires."
    return "Request the training again before it expires."
