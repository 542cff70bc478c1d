"""Read-only questions the approval screens ask."""

from django.db.models import QuerySet

from people.models import User

from .models import ApprovalRequest, ApprovalTask
from .notifications import format_when


def open_tasks(user: User) -> QuerySet[ApprovalTask]:
    """The user's undecided tasks on requests still waiting, oldest booking first; never a
    task on a booking the user holds (see permissions.can_decide)."""
    return (
        ApprovalTask.objects.filter(
            approver=user,
            decision=ApprovalTask.Decision.PENDING,
            request__status=ApprovalRequest.Status.PENDING,
        )
        .exclude(request__booking__user=user)
        .select_related(
            "request__booking__resource__lab",
            "request__booking__user",
            "request__booking__project",
            "on_behalf_of",
        )
        .order_by("request__booking__start", "pk")
    )


def open_task_count(user: User) -> int:
    return open_tasks(user).count() if user.is_authenticated else 0


def decision_outcome(task: ApprovalTask, request: ApprovalRequest) -> str:
    """What deciding `task` did, in words for the approver: rejected, approved and confirmed,
    or which step passed and who decides next (never "approved" while a step remains)."""
    booking = request.booking
    when = format_when(booking.start, booking.end)
    what = f"{booking.resource.name} for {booking.user.name}, {when}"
    step = f"step {task.step} of {request.step_count} ({request.chain[task.step - 1]['label']})"
    if request.status == ApprovalRequest.Status.REJECTED:
        return f"Rejected: {what}."
    if request.status == ApprovalRequest.Status.APPROVED:
        return f"Approved and confirmed: {what}."
    if request.step > task.step:
        return (
            f"You passed {step}: {what}. Not confirmed yet: step {request.step}, "
            f"{request.current_step['label']}, decides next."
        )
    return (
        f"Your approval of {step} is recorded: {what}. "
        "The other approvers of this step decide next."
    )


def history(request: ApprovalRequest) -> QuerySet[ApprovalTask]:
    return request.tasks.select_related("approver", "on_behalf_of").order_by("step", "pk")
