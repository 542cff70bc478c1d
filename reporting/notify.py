"""Telling finance staff that a period's statements are ready, through the one outbox."""

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse

from people.models import User
from people.roles import Role
from workflows.notifications import absolute
from workflows.outbox import enqueue

from .models import BillingPeriod, Statement


def finance_staff():
    return User.objects.filter(groups__name=Role.FINANCE, is_active=True).distinct()


def tell_finance_statements_ready(*, period_id: int, statement_ids: list[int]) -> None:
    """In the transaction that finished the period's last statement: one message per finance
    person and batch (the key makes a re-render of the same batch say nothing new)."""
    period = BillingPeriod.objects.filter(pk=period_id).first()
    if period is None or not statement_ids:
        return
    batch = f"{period.pk}.{min(statement_ids)}-{max(statement_ids)}.{len(statement_ids)}"
    lines = Statement.objects.filter(pk__in=statement_ids).aggregate(n=Sum("line_count"))["n"]
    url = absolute(reverse("reporting_statements") + f"?period={period.pk}")
    with transaction.atomic():
        for person in finance_staff():
            enqueue(
                "report_ready",
                to=person,
                key=f"report_ready.period.{batch}.user.{person.pk}",
                context={
                    "title": f"{len(statement_ids)} usage statements for {period}",
                    "url": url,
                    "count": lines or 0,
                },
            )
