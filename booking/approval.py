"""Why a booking would need approval before it is confirmed.

The booking engine knows one reason of its own: time outside opening hours on a resource
that allows it. The workflows app adds its coordinators' approval rules by registering a
source here, so the booking services, the find page and the API all hear the same answer.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ApprovalReason:
    code: str
    message: str
    rule_id: int | None = None  # the approval rule that asked for it, if any


Source = Callable[["Proposal"], list[ApprovalReason]]  # noqa: F821 (booking.rules.Proposal)
_sources: list[Source] = []
# Who would approve, step by step: (resource, reasons) -> step labels, in order.
Chain = Callable[["Resource", list[ApprovalReason]], list[str]]  # noqa: F821 (booking.models)
_chain: Chain | None = None

OUTSIDE_HOURS = ApprovalReason("outside_opening_hours", "Outside opening hours")


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def reasons_for(proposal) -> list[ApprovalReason]:
    """Every reason this (otherwise acceptable) proposal needs approval; empty when none."""
    reasons = []
    if proposal.resource.allow_outside_hours and proposal.is_outside_opening_hours:
        reasons.append(OUTSIDE_HOURS)
    for source in _sources:
        reasons.extend(source(proposal))
    return reasons


def set_chain_provider(provider: Chain) -> None:
    """The approvals app says who would approve a booking with these reasons, from the same
    function that opens the request, so the form's forecast and the request never differ."""
    global _chain
    _chain = provider


def approvers_in_order(resource, reasons: list[ApprovalReason]) -> list[str]:
    """The steps a booking with these reasons would wait for ("The project's PI", "Lab
    coordinators"); empty when it needs no approval or nobody registered a chain."""
    if not reasons or _chain is None:
        return []
    return _chain(resource, reasons)
