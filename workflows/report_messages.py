"""Telling finance staff that a period's statements are ready, through the one outbox."""

from django.db import transaction

from people.models import User
from people.roles import Role

from .notifications import absolute
from .outbox import enqueue


def finance_staff():
    return User.objects.filter(groups__name=Role.FINANCE, is_active=True).distinct()


def on_statements_ready(sender, *, batch: str, title: str, path: str, lines: int, **kwargs):
    """One message per finance person and batch (labitory.announcements.statements_ready)."""
    url = absolute(path)
    with transaction.atomic():
        for person in finance_staff():
            enqueue(
                "report_ready",
                to=person,
                key=f"report_ready.period.{batch}.user.{person.pk}",
                context={"title": title, "url": url, "count": lines},
            )
