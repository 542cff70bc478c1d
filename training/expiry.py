"""Qualifications running out: renewal by recent use, where the policy says so, and one
reminder per lead time before the expiry (settings.TRAINING_REMINDER_DAYS, e.g. 30 and 7).

Safe to run twice, or late: each reminder has an outbox key per qualification, expiry and
lead time, and a day that falls within several lead times sends only the nearest one.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from booking.models import Booking, Qualification
from labitory.clock import facility_zone

from .models import QualificationRecord, TrainingPolicy
from .notify import tell_expiring
from .policy import expiry_from, how_to_renew, policy_of

Renewal = TrainingPolicy.Renewal


def lead_for(days_left: int, leads: Sequence[int]) -> int | None:
    """The nearest lead time that `days_left` has reached (7 when 5 days are left of 30, 7)."""
    reached = [lead for lead in leads if days_left <= lead]
    return min(reached) if reached else None


def _expiring(today: datetime.date, horizon: int):
    return Qualification.objects.filter(
        resource__requires_qualification=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=horizon),
    ).select_related("user", "resource")


def _last_use(qualification: Qualification) -> datetime.date | None:
    used = (
        Booking.objects.filter(
            user=qualification.user,
            resource=qualification.resource,
            status=Booking.Status.COMPLETED,
            purpose=Booking.Purpose.BOOKING,
        )
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return used.astimezone(facility_zone()).date() if used else None


def renew_by_use(qualification: Qualification, now: datetime.datetime) -> bool:
    """Renew from the last completed booking when the policy renews by recent use."""
    policy = policy_of(qualification.resource)
    last = _last_use(qualification)
    if policy.renewal != Renewal.RECENT_USE or last is None or qualification.expires_on is None:
        return False
    if (qualification.expires_on - last).days > policy.recent_use_days:
        return False
    renewed = expiry_from(policy, last)
    if renewed is None or renewed <= qualification.expires_on:
        return False
    with transaction.atomic():
        QualificationRecord.objects.create(
            user=qualification.user, resource=qualification.resource,
            action=QualificationRecord.Action.RENEWED_BY_USE,
            unsupervised=qualification.unsupervised, expires_on=renewed,
            previous_expiry=qualification.expires_on, at=now,
        )  # fmt: skip
        qualification.expires_on = renewed
        qualification.save(update_fields=["expires_on"])
    return True


def remind_expiring(
    *, now: datetime.datetime | None = None, leads: Sequence[int] | None = None
) -> int:
    """Renew what recent use renews, then remind each holder whose qualification expires
    within a lead time; returns how many reminders were recorded."""
    now = now or timezone.now()
    leads = leads or settings.TRAINING_REMINDER_DAYS
    today = now.astimezone(facility_zone()).date()
    sent = 0
    for qualification in _expiring(today, max(leads)):
        if renew_by_use(qualification, now):
            continue
        expires_on = qualification.expires_on
        lead = lead_for((expires_on - today).days, leads)
        if lead is None:
            continue
        renewal = how_to_renew(policy_of(qualification.resource))
        with transaction.atomic():
            sent += tell_expiring(
                qualification.user, qualification.resource, expires_on, lead, renewal,
                qualification.pk,
            )  # fmt: skip
    return sent
