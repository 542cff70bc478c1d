"""Adjustment lines: the one way to correct what a period charged."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking.models import Resource
from labitory.money import money
from labitory.refusals import Problem
from people.models import Project, User

from ..models import Adjustment, UsageRecord
from ..pricing import PENNY, local_date
from ..problems import AdjustmentRefused
from .periods import open_period_for

MAX_AMOUNT = Decimal("1000000")


def amount_problem(amount) -> Problem | None:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return Problem("bad_amount", _("Enter the amount, e.g. -42.50."), "amount")
    if not value.is_finite() or value == 0 or abs(value) >= MAX_AMOUNT:
        return Problem(
            "bad_amount",
            _("The amount must be non-zero and under %(amount)s.") % {"amount": money(MAX_AMOUNT)},
            "amount",
        )
    if value != value.quantize(PENNY):
        return Problem("bad_amount", _("Amounts have at most two decimals."), "amount")
    return None


def add_adjustment(
    *,
    project: Project,
    amount: Decimal,
    reason: str,
    by: User,
    resource: Resource | None = None,
    corrects: UsageRecord | None = None,
    now: datetime.datetime | None = None,
) -> Adjustment:
    """Add a signed correction to the current open period; the original lines stay as they
    were. Raises AdjustmentRefused (`bad_amount`, `reason_required`, `wrong_project`)."""
    now = now or timezone.now()
    problems = [p for p in [amount_problem(amount)] if p]
    if not (reason or "").strip():
        problems.append(Problem("reason_required", _("Say why the correction is made."), "reason"))
    if corrects is not None and corrects.project_id != project.pk:
        problems.append(
            Problem(
                "wrong_project", _("The corrected line was charged to another project."), "project"
            )
        )
    if problems:
        raise AdjustmentRefused(problems)
    adjustment = Adjustment.objects.create(
        period=open_period_for(local_date(now)),
        project=project,
        resource=resource or (corrects.resource if corrects else None),
        corrects=corrects,
        amount=Decimal(amount),
        reason=reason.strip(),
        created_by=by,
    )
    log(instance=adjustment, action="reporting.adjustment_added", user=by)
    return adjustment
