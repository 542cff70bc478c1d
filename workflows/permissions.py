"""Who may decide an approval step, who may see and edit delegations (your own, or
everyone's for site admins), and who may send a failed message again."""

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from booking.models import Booking
from booking.permissions import is_facility_wide
from people.models import User
from workflows.models import ApprovalTask, OutboxMessage


def can_decide(user: User, task: ApprovalTask, booking: Booking | None = None) -> bool:
    """Only the task's approver decides it, and never on a booking they hold themselves.

    Every route to a decision (the site's and the admin's screens, bulk approval, the API,
    email links) asks this, through `approvals.decide` at the least. `booking` is the task's
    booking as the caller has it (locked, when deciding); by default the task's own.
    """
    booking = booking or task.request.booking
    return task.approver_id == user.pk and booking.user_id != user.pk


class OwnDelegationsPolicy(ModelPermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions: Iterable[str]) -> QuerySet:
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        return manager.all() if is_facility_wide(user) else manager.filter(delegator=user)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if not self.user_has_any_permission(user, actions):
            return False
        return is_facility_wide(user) or instance.delegator_id == user.pk

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)


def may_retry_messages(user: User) -> bool:
    """Site admins (who hold the outbox's change permission, which is only ever a retry)."""
    return user.has_perm("workflows.change_outboxmessage")


def why_not_retryable(message: OutboxMessage) -> str | None:
    """Why the message cannot be sent again, or None: only a failed one can."""
    if message.status != OutboxMessage.Status.FAILED:
        return f"Only a failed message can be retried; this one is {message.status}."
    return None


def can_retry_message(user: User, message: OutboxMessage) -> bool:
    return may_retry_messages(user) and why_not_retryable(message) is None
