"""Billing periods: finding the month a charge belongs to, and closing a month."""

import calendar
import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from labitory.clock import facility_zone
from labitory.dates import month_year
from labitory.refusals import Problem
from people.models import User

from ..models import BillingPeriod, UsageRecord
from ..permissions import why_not_closable
from ..problems import PeriodRefused

PERIOD_CODE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_UNPRICED_LISTED = 20


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def period_containing(day: datetime.date) -> BillingPeriod:
    """The month's period, created (open) when first needed. Safe under concurrent callers."""
    first, last = month_bounds(day)
    found = BillingPeriod.objects.filter(starts_on=first).first()
    if found:
        return found
    try:
        with transaction.atomic():
            return BillingPeriod.objects.create(starts_on=first, ends_on=last)
    except IntegrityError:
        return BillingPeriod.objects.get(starts_on=first)


def open_period_for(day: datetime.date) -> BillingPeriod:
    """The period a charge dated `day` goes to: its month's, or the first open one after it
    when that month is closed (a late charge never reopens a closed month)."""
    period = period_containing(day)
    while not period.is_open:
        period = period_containing(period.ends_on + datetime.timedelta(days=1))
    return period


def period_by_code(code: str) -> BillingPeriod:
    """The period named 'YYYY-MM'. Raises PeriodRefused (`bad_period`, `no_such_period`)."""
    match = PERIOD_CODE.match(code or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise PeriodRefused(
            [
                Problem(
                    "bad_period",
                    _("“%(code)s” is not a period; write it as YYYY-MM, e.g. 2026-10.")
                    % {"code": code},
                )
            ]
        )
    first = datetime.date(int(match[1]), int(match[2]), 1)
    period = BillingPeriod.objects.filter(starts_on=first).first()
    if period is None:
        raise PeriodRefused(
            [
                Problem(
                    "no_such_period",
                    _("There is no billing period for %(month)s yet.")
                    % {"month": month_year(first)},
                )
            ]
        )
    return period


def unpriced_problems(period: BillingPeriod) -> list[Problem]:
    unpriced = (
        UsageRecord.objects.filter(period=period, amount__isnull=True)
        .select_related("resource", "user", "project")
        .order_by("start")
    )
    problems = [
        Problem(
            "unpriced_usage",
            _(
                "%(resource)s on %(date)s %(time)s, %(user)s (%(category)s), project %(project)s: "
                "no rate card applies."
            )
            % {
                "resource": record.resource,
                "date": date_format(record.start.astimezone(facility_zone()), "d M Y"),
                "time": f"{record.start.astimezone(facility_zone()):%H:%M}",
                "user": record.user,
                "category": record.get_user_category_display().lower(),
                "project": record.project.code,
            },
        )
        for record in unpriced[:MAX_UNPRICED_LISTED]
    ]
    if (count := unpriced.count()) > MAX_UNPRICED_LISTED:
        problems.append(
            Problem(
                "unpriced_usage",
                _("… and %(count)s more unpriced lines.") % {"count": count - MAX_UNPRICED_LISTED},
            )
        )
    return problems


def close_period(
    *, period: BillingPeriod, by: User, now: datetime.datetime | None = None
) -> BillingPeriod:
    """Close a finished month: reprice its unpriced lines with today's cards, refuse if any
    remain unpriced (listing them), then close, log, and queue its statements.

    Raises PeriodRefused (`period_closed`, `period_not_over`, `unpriced_usage`).
    """
    from .statements import request_statements
    from .usage import reprice_unpriced

    now = now or timezone.now()
    with transaction.atomic():
        period = BillingPeriod.objects.select_for_update().get(pk=period.pk)
        if problem := why_not_closable(period, now=now):
            raise PeriodRefused([problem])
        reprice_unpriced(period=period, by=by)
        if problems := unpriced_problems(period):
            raise PeriodRefused(problems)
        period.status = BillingPeriod.Status.CLOSED
        period.closed_at, period.closed_by = now, by
        period.save(update_fields=["status", "closed_at", "closed_by"])
        log(instance=period, action="reporting.period_closed", user=by)
        request_statements(period=period, by=by)
    return period
