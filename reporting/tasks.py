"""Statement work for Celery, on the reports queue (`reporting.tasks.*`): thin wrappers."""

import datetime

from celery import shared_task
from django.utils import timezone

from booking.models import Booking
from labitory.clock import facility_zone

from .services import periods, record_usage, render_statement, request_statements, usage


@shared_task(name="reporting.tasks.render_statement_task")
def render_statement_task(statement_id: int, attempt: int) -> str:
    statement = render_statement(statement_id=statement_id, attempt=attempt)
    return statement.status if statement else "superseded"


@shared_task(name="reporting.tasks.render_last_month_task")
def render_last_month_task(today: str | None = None) -> int:
    """At the start of a month: queue last month's statements (provisional while it is
    open); returns how many were queued. Running it twice only re-renders. `today` (ISO
    date) stands in for the clock."""
    day = (
        datetime.date.fromisoformat(today)
        if today
        else timezone.now().astimezone(facility_zone()).date()
    )
    last_month = day.replace(day=1) - datetime.timedelta(days=1)
    period = periods.period_containing(last_month)
    return len(request_statements(period=period))


@shared_task(name="reporting.tasks.record_missing_usage_task")
def record_missing_usage_task() -> int:
    """Hourly: usage of the last 40 days' bookings whose event was missed."""
    return usage.record_missing_usage(since=timezone.now() - datetime.timedelta(days=40))


@shared_task(name="reporting.tasks.record_usage_task")
def record_usage_task(booking_id: int) -> bool:
    booking = Booking.objects.select_related("resource", "user", "project").filter(pk=booking_id)
    found = booking.first()
    return bool(found and record_usage(booking=found))
