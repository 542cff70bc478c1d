"""A resource's booking rules and a user's standing against them, in plain sentences.

The rules themselves live in booking/rules.py; this module only words them for people.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from labitory.clock import facility_zone
from people.models import Project, User

from . import queries
from .models import Booking, Quota, RequiredPolicy, Resource
from .rules import quota_left
from .training import training_link

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def duration(minutes: int) -> str:
    """'30 minutes', '1 hour', '1 hour 30 minutes', '2 days'."""
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    for value, unit in ((days, "day"), (hours, "hour"), (mins, "minute")):
        if value:
            parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
    return " ".join(parts) or "0 minutes"


def hours_text(value: Decimal) -> str:
    """'10 h', '6.5 h', '0.25 h'."""
    text = f"{value.normalize():f}"
    return f"{text} h"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _day_range(days: list[int]) -> str:
    if len(days) >= 3:
        return f"{WEEKDAYS[days[0]]} to {WEEKDAYS[days[-1]]}"
    return _join([WEEKDAYS[day] for day in days])


def opening_hours_sentence(hours: list[tuple[int, datetime.time, datetime.time]]) -> str:
    """'Open Monday to Friday, 08:00–20:00; Saturday, 10:00–14:00.' Runs of consecutive
    days with the same hours are grouped."""
    if not hours:
        return "Open at any time of day, every day."
    by_day: dict[int, list[str]] = {}
    for weekday, opens, closes in sorted(hours):
        by_day.setdefault(weekday, []).append(f"{opens:%H:%M}–{closes:%H:%M}")
    runs: list[tuple[list[int], str]] = []
    for weekday in sorted(by_day):
        times = _join(by_day[weekday])
        if runs and runs[-1][1] == times and runs[-1][0][-1] == weekday - 1:
            runs[-1][0].append(weekday)
        else:
            runs.append(([weekday], times))
    return "Open " + "; ".join(f"{_day_range(days)}, {times}" for days, times in runs) + "."


def _quota_sentence(quota: Quota) -> str:
    who = "Each person" if quota.scope == Quota.Scope.USER else "Each project"
    period = "week" if quota.period == Quota.Period.WEEK else "month"
    return f"{who} may book up to {hours_text(quota.hours)} a {period}."


def rule_sentences(resource: Resource) -> list[str]:
    """Every booking rule of the resource as a short sentence, most important first."""
    sentences = [
        f"Times go in steps of {duration(resource.granularity)}.",
        (
            f"A booking lasts exactly {duration(resource.min_duration)}."
            if resource.min_duration == resource.max_duration
            else f"A booking lasts from {duration(resource.min_duration)} "
            f"to {duration(resource.max_duration)}."
        ),
    ]
    if resource.min_notice:
        sentences.append(
            f"Book at least {duration(resource.min_notice)} ahead, "
            f"and up to {resource.horizon_days} days ahead."
        )
    else:
        sentences.append(f"Book up to {resource.horizon_days} days ahead.")
    sentences.append(opening_hours_sentence(queries.opening_hours_of(resource)))
    if resource.allow_outside_hours:
        sentences.append("Bookings outside opening hours are possible but need approval.")
    if resource.capacity > 1:
        sentences.append(f"Up to {resource.capacity} people can book the same time.")
    if resource.buffer:
        sentences.append(f"A gap of {duration(resource.buffer)} is kept free between bookings.")
    if resource.max_future_bookings:
        count = resource.max_future_bookings
        sentences.append(
            f"You can hold up to {count} upcoming booking{'s' if count != 1 else ''} at a time."
        )
    sentences += [_quota_sentence(quota) for quota in resource.quotas.all()]
    if resource.requires_qualification:
        sentences.append("Only people the lab has trained on this instrument can book it.")
    titles = list(
        RequiredPolicy.objects.filter(resource=resource, policy__live=True)
        .order_by("sort_order", "pk")
        .values_list("policy__title", flat=True)
    )
    if titles:
        sentences.append(f"Accept {_join(titles)} before booking.")
    sentences.append(
        f"Cancel at least {duration(resource.cancellation_cutoff * 60)} before the start; "
        "later cancellations count as late and may be charged."
    )
    if resource.release_no_shows:
        sentences.append(
            f"Check in within {duration(resource.checkin_window)} of the start, "
            "or the booking is released as a no-show."
        )
    if resource.billing_basis == Resource.BillingBasis.ACTUAL:
        sentences.append("You are charged for the time you use, from check-in to check-out.")
    else:
        sentences.append("You are charged for the time you book.")
    return sentences


@dataclass(frozen=True)
class QuotaLine:
    """How much of one quota is left, for the user or one of their projects."""

    text: str
    left: Decimal
    total: Decimal


def quota_lines(
    resource: Resource, user: User, projects: list[Project], moment: datetime.datetime
) -> list[QuotaLine]:
    """The hours the user (and each of their projects) has left under each of the resource's
    quotas, in the week or month containing `moment`."""
    lines = []
    for quota in resource.quotas.all():
        period = "this week" if quota.period == Quota.Period.WEEK else "this month"
        if quota.scope == Quota.Scope.USER:
            owners: list[tuple[str, Project | None]] = [("You have", None)]
        else:
            owners = [(f"Project {project.code} has", project) for project in projects]
        for owner, project in owners:
            left = max(quota_left(quota, user, project, moment), Decimal(0))
            lines.append(
                QuotaLine(
                    f"{owner} {hours_text(left)} left of {hours_text(quota.hours)} {period}.",
                    left,
                    quota.hours,
                )
            )
    return lines


def standing(
    resource: Resource,
    user: User,
    *,
    now: datetime.datetime,
    moment: datetime.datetime | None = None,
) -> dict:
    """Where the user stands against the resource's rules, for the booking screens: their
    projects, quota left in the period of `moment` (default `now`), policies still to accept,
    upcoming bookings held against the limit, and their qualification."""
    moment = moment or now
    today = now.astimezone(facility_zone()).date()
    projects = list(Project.objects.for_member(user).active_on(today).order_by("code"))
    qualification = (
        queries.qualification_of(resource, user) if resource.requires_qualification else None
    )
    held = None
    if resource.max_future_bookings:
        held = Booking.objects.filter(
            resource=resource, user=user, status__in=Booking.HOLDING, end__gt=now
        ).count()
    unaccepted = queries.unaccepted_policies(resource, user)
    needs_qualification = resource.requires_qualification and not (
        qualification and qualification.is_valid_on(today)
    )
    return {
        "projects": projects,
        "quota_lines": quota_lines(resource, user, projects, moment),
        "unaccepted_policies": unaccepted,
        "policies_required": RequiredPolicy.objects.filter(
            resource=resource, policy__live=True
        ).exists(),
        "upcoming_held": held,
        "needs_qualification": needs_qualification,
        "training_url": training_link(resource, user) if needs_qualification else None,
        "qualification": qualification,
        # Free time is shown as free, but not offered as bookable, while any of these holds.
        "cannot_book_yet": bool(needs_qualification or unaccepted or not projects),
    }
