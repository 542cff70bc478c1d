"""Read-only questions the approval screens ask."""

from django.db.models import QuerySet

from people.models import User

from .models import ApprovalRequest, ApprovalTask


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


def history(request: ApprovalRequest) -> QuerySet[ApprovalTask]:
    return request.tasks.select_related("approver", "on_behalf_of").order_by("step", "pk")
