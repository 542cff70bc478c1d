"""Announcing that a period's statements are ready; workflows tells finance staff."""

from django.db.models import Sum
from django.urls import reverse

from labitory.announcements import statements_ready

from .models import BillingPeriod, Statement


def announce_statements_ready(*, period_id: int, statement_ids: list[int]) -> None:
    """In the transaction that finished the period's last statement (the batch key lets a
    re-render of the same batch say nothing new)."""
    period = BillingPeriod.objects.filter(pk=period_id).first()
    if period is None or not statement_ids:
        return
    lines = Statement.objects.filter(pk__in=statement_ids).aggregate(n=Sum("line_count"))["n"]
    statements_ready.send(
        sender="reporting",
        batch=f"{period.pk}.{min(statement_ids)}-{max(statement_ids)}.{len(statement_ids)}",
        title=f"{len(statement_ids)} usage statements for {period}",
        path=reverse("reporting_statements") + f"?period={period.pk}",
        lines=lines or 0,
    )
