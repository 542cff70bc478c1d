"""Approving bookings: open a request, decide a step, remind, escalate, expire.

Views, the admin, email links and beat tasks call these and nothing else. Every change
locks the booking row first, so a decision and a cancellation arriving together are
serialised and leave one consistent state.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from booking.approval import ApprovalReason
from booking.models import Booking
from booking.services import transition
from labitory.clock import facility_zone
from labitory.refusals import Refused
from people.models import User

from . import outbox
from .approvers import approvers_for, assign, coordinators_of, coordinators_spec, step_spec
from .links import link_token
from .models import ApprovalRequest, ApprovalRule, ApprovalTask
from .permissions import can_decide

Status = ApprovalRequest.Status
Decision = ApprovalTask.Decision

# For requests opened without a rule (outside hours on a resource that allows it).
DEFAULT_REMINDER_HOURS = 24
DEFAULT_ESCALATION_HOURS = 72


class ApprovalRefused(Refused):
    """A decision cannot be taken: not the caller's, already decided, or incomplete."""


# Opening.


def open_request(
    booking: Booking, reasons: list[ApprovalReason], *, now: datetime.datetime | None = None
) -> ApprovalRequest:
    """Inside the booking's transaction: record why it needs approval and ask step 1."""
    now = now or timezone.now()
    rule, chain = chain_for(reasons, booking.resource.lab)
    request = ApprovalRequest.objects.create(
        booking=booking,
        rule=rule,
        rule_name=rule.name if rule else "Outside opening hours",
        reasons=[reason.message for reason in reasons],
        chain=chain,
        step_started_at=now,
    )
    log(
        instance=booking,
        action="workflows.approval.opened",
        user=None,
        data={"rule": request.rule_name, "reasons": request.reasons, "steps": request.step_count},
    )
    _start_step(request, now)
    return request


def chain_for(reasons: list[ApprovalReason], lab) -> tuple[ApprovalRule | None, list[dict]]:
    """The rule that decides (the first matching one, by order) and its steps; without a rule,
    the lab's coordinators alone."""
    rule_id = next((reason.rule_id for reason in reasons if reason.rule_id), None)
    rule = ApprovalRule.objects.prefetch_related("steps__users").filter(pk=rule_id).first()
    chain = [step_spec(step) for step in rule.steps.all()] if rule else []
    return rule, chain or [coordinators_spec(lab)]


def chain_labels(resource, reasons: list[ApprovalReason]) -> list[str]:
    """Who would approve, step by step, for the booking form's forecast."""
    return [spec["label"] for spec in chain_for(reasons, resource.lab)[1]]


def _hours(request: ApprovalRequest, name: str, default: int | None) -> int | None:
    return getattr(request.rule, name) if request.rule else default


def _start_step(request: ApprovalRequest, now: datetime.datetime) -> None:
    """Give the current step to its approvers and set when to remind and escalate."""
    booking = request.booking
    spec = request.current_step
    pairs, fallback = approvers_for(spec, booking, now.astimezone(facility_zone()).date())
    reminder = _hours(request, "reminder_after", DEFAULT_REMINDER_HOURS)
    escalation = _hours(request, "escalate_after", DEFAULT_ESCALATION_HOURS)
    request.step_started_at = now
    request.remind_at = now + datetime.timedelta(hours=reminder) if reminder else None
    request.escalate_at = now + datetime.timedelta(hours=escalation) if escalation else None
    request.reminded_at = request.escalated_at = None
    request.save()
    _add_tasks(request, pairs, escalated=False)
    log(
        instance=booking,
        action="workflows.approval.assigned",
        user=None,
        data={
            "step": request.step,
            "label": spec["label"],
            "approvers": [_who(approver, behalf) for approver, behalf in pairs],
            "fallback": fallback,
        },
    )


def _who(approver: User, on_behalf_of: User | None) -> str:
    return f"{approver} (for {on_behalf_of})" if on_behalf_of else str(approver)


def _add_tasks(request: ApprovalRequest, pairs, *, escalated: bool) -> list[ApprovalTask]:
    existing = set(request.tasks.filter(step=request.step).values_list("approver_id", flat=True))
    tasks = [
        ApprovalTask.objects.create(
            request=request,
            step=request.step,
            approver=approver,
            on_behalf_of=behalf,
            added_by_escalation=escalated,
        )
        for approver, behalf in pairs
        if approver.pk not in existing
    ]
    event = "approval_escalated" if escalated else "approval_needed"
    for task in tasks:
        _tell_approver(task, event)
    return tasks


def decision_url(task: ApprovalTask) -> str:
    path = reverse("workflows:link", args=[link_token(task)])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _tell_approver(task: ApprovalTask, event: str) -> None:
    request = task.request
    outbox.enqueue(
        event,
        to=task.approver,
        key=f"{event}:{task.pk}",
        context={
            "booking": request.booking,
            "approval": request,
            "step": request.step,
            "step_count": request.step_count,
            "reasons": request.reasons,
            "decision_url": decision_url(task),
            "on_behalf_of": task.on_behalf_of,
        },
    )


# Deciding.


def _refuse_unless_open(task: ApprovalTask, booking: Booking, by: User) -> None:
    if not can_decide(by, task, booking):
        if booking.user_id == by.pk:
            raise ApprovalRefused(
                "own_booking", _("This is your own booking: someone else must decide it.")
            )
        raise ApprovalRefused("not_your_step", _("This approval is not yours to decide."))
    request = task.request
    if request.status != Status.PENDING:
        raise ApprovalRefused(
            f"request_{request.status}",
            _("This request is already %(status)s: nothing changed.")
            % {"status": request.get_status_display().lower()},
        )
    if task.step != request.step or task.decision != Decision.PENDING:
        raise ApprovalRefused(
            "already_decided", _("This step has already been decided: nothing changed.")
        )


def decide(
    task: ApprovalTask,
    *,
    by: User,
    approve: bool,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> ApprovalRequest:
    """Approve or reject one step. Rejecting needs a comment, which the booker is sent."""
    now = now or timezone.now()
    comment = comment.strip()
    if not approve and not comment:
        raise ApprovalRefused("comment_required", _("Say why you reject the request."))
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(approval_requests__tasks=task.pk)
        task = ApprovalTask.objects.select_for_update().select_related("request").get(pk=task.pk)
        request = task.request
        request.booking = booking
        _refuse_unless_open(task, booking, by)
        task.decision = Decision.APPROVED if approve else Decision.REJECTED
        task.decided_at, task.comment, task.link_nonce = now, comment, ""
        task.save(update_fields=["decision", "decided_at", "comment", "link_nonce"])
        log(
            instance=booking,
            action="workflows.approval.approved" if approve else "workflows.approval.rejected",
            user=by,
            data={
                "step": task.step,
                "label": request.current_step["label"],
                "comment": comment,
                "on_behalf_of": str(task.on_behalf_of) if task.on_behalf_of else "",
            },
        )
        if not approve:
            _close(request, Status.REJECTED, now)
            transition(booking, Booking.Status.REJECTED, by=by, cancel_reason=comment)
        elif _step_complete(request):
            _advance(request, by, comment, now)
        return request


def _step_complete(request: ApprovalRequest) -> bool:
    if not request.current_step["needs_all"]:
        return True
    waiting = request.tasks.filter(step=request.step, decision=Decision.PENDING)
    return not waiting.filter(added_by_escalation=False).exists()


def _advance(request: ApprovalRequest, by: User, comment: str, now: datetime.datetime) -> None:
    _supersede(request)
    booking = request.booking
    if request.step >= request.step_count:
        _close(request, Status.APPROVED, now)
        transition(booking, Booking.Status.CONFIRMED, by=by)
        return
    # A step of several: the booker hears that it moved on, never "approved" (only the
    # confirmation, after the last step, says that).
    outbox.enqueue(
        "approval_decided",
        to=booking.user,
        key=f"approval_decided:{request.pk}:{request.step}",
        context={
            "booking": booking,
            "approval": request,
            "decision": "approved",
            "step": request.step,
            "step_count": request.step_count,
            "step_label": request.current_step["label"],
            "next_step": request.chain[request.step]["label"],
            "comment": comment,
            "by": by,
        },
    )
    request.step += 1
    _start_step(request, now)


def _supersede(request: ApprovalRequest) -> None:
    request.tasks.filter(decision=Decision.PENDING).update(
        decision=Decision.SUPERSEDED, link_nonce=""
    )


def _close(request: ApprovalRequest, status: str, now: datetime.datetime) -> None:
    _supersede(request)
    request.status, request.closed_at = status, now
    request.save(update_fields=["status", "closed_at"])


def approve_many(
    tasks: list[ApprovalTask], *, by: User, now: datetime.datetime | None = None
) -> tuple[list[ApprovalTask], list[tuple[ApprovalTask, ApprovalRefused]]]:
    """Bulk approve: each in its own transaction, so one refusal does not undo the others."""
    done, refused = [], []
    for task in tasks:
        try:
            decide(task, by=by, approve=True, now=now)
            done.append(task)
        except ApprovalRefused as refusal:
            refused.append((task, refusal))
    return done, refused


# Reacting to the booking's own life.

CLOSED_BY_BOOKING = {
    "cancelled": Status.CANCELLED,
    "cancelled_by_maintenance": Status.CANCELLED,
    "expired": Status.EXPIRED,
    "rejected": Status.REJECTED,
}


# A change re-judges the booking: it now waits (for these reasons) or is confirmed.
CHANGED = frozenset({"changed", "handed_over"})


def replace_request(
    booking: Booking, reasons: list[ApprovalReason], *, now: datetime.datetime | None = None
) -> ApprovalRequest | None:
    """Inside the changed booking's transaction: close the request it was waiting on as
    superseded (its approvers' open tasks with it), then, if the changed booking waits
    again, open a fresh request routed as any new one is (never to the booker)."""
    now = now or timezone.now()
    waiting = ApprovalRequest.objects.filter(booking=booking, status=Status.PENDING).first()
    if waiting is not None:
        _close(waiting, Status.SUPERSEDED, now)
        log(
            instance=booking,
            action="workflows.approval.superseded",
            user=None,
            data={"rule": waiting.rule_name, "step": waiting.step, "reasons": waiting.reasons},
        )
    if booking.status != Booking.Status.REQUESTED:
        return None
    return open_request(booking, reasons, now=now)


def on_booking_recorded(sender, *, booking, event, approval_reasons=(), **kwargs) -> None:
    """Inside the booking's transaction: open a request, replace it after a change, or close
    one the booking ended."""
    if event == Booking.Status.REQUESTED:
        open_request(booking, list(approval_reasons))
    elif event in CHANGED:
        replace_request(booking, list(approval_reasons))
    elif event in CLOSED_BY_BOOKING:
        request = ApprovalRequest.objects.filter(booking=booking, status=Status.PENDING).first()
        if request is not None:
            _close(request, CLOSED_BY_BOOKING[event], timezone.now())


# Time.


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the approvers of each step that has waited past its reminder time."""
    now = now or timezone.now()
    sent = 0
    due = ApprovalRequest.objects.filter(
        status=Status.PENDING, remind_at__lte=now, reminded_at__isnull=True
    ).select_related("booking__user", "booking__resource", "booking__project")
    for request in due:
        with transaction.atomic():
            for task in request.tasks.filter(step=request.step, decision=Decision.PENDING):
                task.request = request
                _tell_approver(task, "approval_reminder")
                sent += 1
            request.reminded_at = now
            request.save(update_fields=["reminded_at"])
    return sent


def escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """Escalate steps waiting past their escalation time, as each rule says."""
    now = now or timezone.now()
    overdue = ApprovalRequest.objects.filter(
        status=Status.PENDING, escalate_at__lte=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in overdue:
        with transaction.atomic():
            Booking.objects.select_for_update().get(approval_requests=pk)
            request = ApprovalRequest.objects.select_related("rule", "booking__resource__lab").get(
                pk=pk
            )
            if request.status == Status.PENDING:
                _escalate(request, now)
    return len(overdue)


def _escalate(request: ApprovalRequest, now: datetime.datetime) -> None:
    booking = request.booking
    to_next = (
        request.rule is not None
        and request.rule.escalation == ApprovalRule.Escalation.NEXT_STEP
        and request.step < request.step_count
    )
    log(
        instance=booking,
        action="workflows.approval.escalated",
        user=None,
        data={"step": request.step, "to": "next step" if to_next else "lab coordinators"},
    )
    if to_next:
        _supersede(request)
        request.step += 1
        _start_step(request, now)
        return
    request.escalated_at = now
    request.save(update_fields=["escalated_at"])
    day = now.astimezone(facility_zone()).date()
    _add_tasks(request, assign(coordinators_of(booking.resource.lab), booking, day), escalated=True)


def expire_overdue(*, now: datetime.datetime | None = None) -> int:
    """Requests still waiting when their booking starts expire, and the slot is freed."""
    now = now or timezone.now()
    late = Booking.objects.filter(status=Booking.Status.REQUESTED, start__lte=now).values_list(
        "pk", flat=True
    )
    expired = 0
    for pk in late:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=pk)
            if booking.status == Booking.Status.REQUESTED:
                transition(booking, Booking.Status.EXPIRED, by=None)
                expired += 1
    return expired
