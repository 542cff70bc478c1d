"""Who may see and change money: finance staff see every statement; a PI sees their own
projects'; finance staff close billing periods that are over."""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from labitory.clock import facility_zone
from labitory.refusals import Problem
from people.models import User

from .models import BillingPeriod, Statement, UsageRecord

FINANCE_PERMISSION = "reporting.view_statement"


def is_finance(user: User) -> bool:
    """Finance staff (and site admins, who hold every reporting permission)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(FINANCE_PERMISSION))


def can_download_statement(user: User, statement: Statement) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_finance(user):
        return True
    project = statement.project if statement.project_id is not None else None
    return project is not None and project.pi_id == user.pk


def statements_for(user: User) -> QuerySet[Statement]:
    """The statements `user` may download: all for finance, their projects' for a PI."""
    statements = Statement.objects.select_related("period", "project", "department")
    if is_finance(user):
        return statements
    if not (user.is_authenticated and user.is_active):
        return statements.none()
    return statements.filter(project__pi=user)


def usage_for(user: User) -> QuerySet[UsageRecord]:
    """The usage lines `user` may read: all for finance, their projects' for a PI."""
    records = UsageRecord.objects.select_related("period", "resource", "user", "project")
    if is_finance(user):
        return records
    if not (user.is_authenticated and user.is_active):
        return records.none()
    return records.filter(project__pi=user)


def can_close_periods(user: User) -> bool:
    """Finance staff (and site admins) close billing periods."""
    return bool(user.is_authenticated and user.has_perm("reporting.change_billingperiod"))


def why_not_closable(period: BillingPeriod, *, now: datetime.datetime) -> Problem | None:
    """Why the period cannot be closed at `now` (already closed, or not over), or None."""
    if not period.is_open:
        return Problem("period_closed", _("%(label)s is already closed.") % {"label": period.label})
    if now.astimezone(facility_zone()).date() <= period.ends_on:
        return Problem("period_not_over", _("%(label)s is not over yet.") % {"label": period.label})
    return None


def can_close_period(user: User, period: BillingPeriod, *, now: datetime.datetime) -> bool:
    return can_close_periods(user) and why_not_closable(period, now=now) is None
