"""What the booking form says before it is submitted: the estimated cost, whether the booking
would wait for approval and for whom, step by step, the quota left in its week or month, and
any rule it would break. Read only; every answer comes from the function the booking itself
goes through (services.preview_booking, approval.approvers_in_order, explain.quota_lines,
estimates.estimate)."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from labitory.refusals import Problem
from people.models import Project, User

from .approval import approvers_in_order
from .estimates import estimate
from .explain import QuotaLine, quota_lines
from .models import Resource
from .services import preview_booking


@dataclass(frozen=True)
class Forecast:
    amount: Decimal | None = None
    project: Project | None = None
    approvers: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quota: list[QuotaLine] = field(default_factory=list)

    @property
    def needs_approval(self) -> bool:
        return bool(self.reasons)


def forecast(
    resource: Resource,
    user: User,
    project: Project | None,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    *,
    answers: Mapping[str, object] | None = None,
    now: datetime.datetime,
    settled_in_form: frozenset[str] = frozenset(),
) -> Forecast | None:
    """The forecast of a booking of [start, end) charged to `project`; None until both times
    are known and in order. Problems the form settles itself (`settled_in_form`, codes) are
    left out."""
    if start is None or end is None or end <= start:
        return None
    verdict = preview_booking(
        user=user,
        resource=resource,
        project=project,
        start=start,
        end=end,
        answers=answers,
        now=now,
        settled_elsewhere=settled_in_form,
    )
    reasons = verdict.approval_reasons if verdict.ok else []
    return Forecast(
        amount=estimate(resource, user, project, start, end),
        project=project,
        approvers=approvers_in_order(resource, reasons),
        reasons=[reason.message for reason in reasons],
        problems=verdict.problems,
        quota=quota_lines(resource, user, [project] if project else [], start),
    )
