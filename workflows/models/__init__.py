"""The workflows app's models, one module per noun."""

from .approval_rules import ApprovalRule, ApprovalStep
from .delegation import Delegation
from .outbox import MessageTemplate, NotificationPreferences, OutboxMessage
from .requests import ApprovalRequest, ApprovalTask

__all__ = [
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalStep",
    "ApprovalTask",
    "Delegation",
    "MessageTemplate",
    "NotificationPreferences",
    "OutboxMessage",
]
