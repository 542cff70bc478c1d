"""Reporting events other apps react to (the notification outbox tells finance).

Sent after the transaction commits, with ids only, so receivers reload what they need.
"""

from django.db import transaction
from django.dispatch import Signal

# Arguments: period_id, statement_ids (every statement of that period now ready).
# Sent once each time the last queued statement of a period finishes rendering.
statements_ready = Signal()


def emit_statements_ready(period_id: int, statement_ids: list[int]) -> None:
    ids = list(statement_ids)
    transaction.on_commit(
        lambda: statements_ready.send(sender="reporting", period_id=period_id, statement_ids=ids)
    )
