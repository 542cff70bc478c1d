"""The workflows app's models, one module per noun."""

from .outbox import MessageTemplate, NotificationPreferences, OutboxMessage

__all__ = ["MessageTemplate", "NotificationPreferences", "OutboxMessage"]
