"""What each role's panel on the admin home reads: a fixed handful of queries per panel,
whatever the number of rows, and nothing outside the reader's labs.

Every function takes the reader and an explicit `now`; the panels (panels.py) render them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from booking.estimates import estimate
from booking.models import Booking, MaintenanceWindow
from booking.permissions import coordinated_lab_ids
from booking.schedule import SHOWN_STATUSES
from labitory import health
from labitory.backup import made_at
from labitory.clock import facility_zone
from operations.models import ProblemReport
from people.models import User
from reporting.models import BillingPeriod, Statement
from reporting.permissions import why_not_closable
from workflows.models import ApprovalTask, OutboxMessage
from workflows.queries import open_tasks

SHOWN = 8  # rows per list on a panel; the heading gives the full count
MAINTENANCE_AHEAD = datetime.timedelta(days=14)
NO_SHOWS_BEHIND = datetime.timedelta(days=7)


def local_day(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The facility's calendar day around `now`, as two aware moments."""
    zone = facility_zone()
    day = now.astimezone(zone).date()
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    return start, datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone
    )


# ---------------------------------------------------------------- lab coordinator


@dataclass
class CoordinatorDay:
    today: list[Booking]
    waiting: list[Booking]
    no_shows: list[Booking]
    maintenance: list[MaintenanceWindow]
    problems: list[ProblemReport]


def lab_bookings(lab_ids: frozenset[int]) -> QuerySet[Booking]:
    return Booking.objects.filter(resource__lab_id__in=lab_ids).select_related(
        "resource", "user", "project"
    )


def coordinator_day(user: User, *, now: datetime.datetime) -> CoordinatorDay:
    """Today's schedule of the user's labs, requests waiting for a decision, last week's
    no-shows, maintenance in the next fortnight and problem reports not yet resolved."""
    labs = coordinated_lab_ids(user)
    start, end = local_day(now)
    bookings = lab_bookings(labs)
    return CoordinatorDay(
        today=list(
            bookings.filter(start__lt=end, end__gt=start, status__in=SHOWN_STATUSES).order_by(
                "start", "resource__name"
            )
        ),
        waiting=list(
            bookings.filter(status=Booking.Status.REQUESTED, end__gt=now).order_by("start")
        ),
        no_shows=list(
            bookings.filter(
                status=Booking.Status.NO_SHOW, start__gte=now - NO_SHOWS_BEHIND, start__lt=now
            ).order_by("-start")
        ),
        maintenance=list(
            MaintenanceWindow.objects.filter(
                resource__lab_id__in=labs, ends_at__gt=now, starts_at__lt=now + MAINTENANCE_AHEAD
            )
            .select_related("resource")
            .order_by("starts_at")
        ),
        problems=list(
            ProblemReport.objects.filter(resource__lab_id__in=labs)
            .exclude(status=ProblemReport.Status.RESOLVED)
            .select_related("resource")
            .order_by("-created_at")
        ),
    )


# ---------------------------------------------------------------- approver


@dataclass
class WaitingDecision:
    task: ApprovalTask
    estimate: Decimal | None
    same_day: list[Booking] = field(default_factory=list)  # the resource's other bookings


@dataclass
class ApproverQueue:
    count: int
    decisions: list[WaitingDecision]


def approver_queue(user: User) -> ApproverQueue:
    """The user's open approval tasks (the first few), each with the booking's estimated
    cost and what else holds the resource that day."""
    tasks = list(open_tasks(user)[: SHOWN + 1])
    decisions = [
        WaitingDecision(task=task, estimate=estimate_of(task.request.booking))
        for task in tasks[:SHOWN]
    ]
    attach_same_day(decisions)
    count = len(tasks) if len(tasks) <= SHOWN else open_tasks(user).count()
    return ApproverQueue(count=count, decisions=decisions)


def estimate_of(booking: Booking) -> Decimal | None:
    return estimate(booking.resource, booking.user, booking.project, booking.start, booking.end)


def attach_same_day(decisions: list[WaitingDecision]) -> None:
    """One query for every decision's day: the other bookings holding its resource."""
    if not decisions:
        return
    days = {id(d): local_day(d.task.request.booking.start) for d in decisions}
    window = Q()
    for d in decisions:
        start, end = days[id(d)]
        window |= Q(resource_id=d.task.request.booking.resource_id, start__lt=end, end__gt=start)
    by_resource = defaultdict(list)
    for other in Booking.objects.filter(window, status__in=Booking.HOLDING).order_by("start"):
        by_resource[other.resource_id].append(other)
    for d in decisions:
        booking = d.task.request.booking
        start, end = days[id(d)]
        d.same_day = [
            other
            for other in by_resource[booking.resource_id]
            if other.pk != booking.pk and other.start < end and other.end > start
        ]


# ---------------------------------------------------------------- finance


@dataclass
class OpenMonth:
    period: BillingPeriod
    closable: bool
    why_not: str
    unpriced: int


@dataclass
class FinanceDesk:
    months: list[OpenMonth]
    unpriced: int
    statements: dict[str, int]
    failed: list[Statement]


def finance_desk(*, now: datetime.datetime) -> FinanceDesk:
    """Open months (and whether each may close now), unpriced usage lines, and statements
    still rendering or failed."""
    periods = BillingPeriod.objects.filter(status=BillingPeriod.Status.OPEN).annotate(
        unpriced=Count("usage_records", filter=Q(usage_records__amount__isnull=True))
    )
    months = []
    for period in periods.order_by("starts_on"):
        problem = why_not_closable(period, now=now)
        months.append(
            OpenMonth(period, problem is None, problem.message if problem else "", period.unpriced)
        )
    unfinished = (Statement.Status.QUEUED, Statement.Status.RENDERING, Statement.Status.FAILED)
    statements = dict(
        Statement.objects.filter(status__in=unfinished)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    failed = list(
        Statement.objects.filter(status=Statement.Status.FAILED)
        .select_related("period", "project", "department")
        .order_by("-pk")[:SHOWN]
    )
    # A closed month has no unpriced line (it cannot close with one), so the open ones say all.
    return FinanceDesk(months, sum(m.unpriced for m in months), statements, failed)


# ---------------------------------------------------------------- site admin


@dataclass
class SiteHealth:
    failed_messages: int
    overdue_messages: int
    checks: dict
    eager: bool
    last_backup: datetime.datetime | None
    backup_size: int | None
    backup_stale: bool


WORKERS_KEY = "labitory:dashboard:workers"
WORKERS_FOR = 60  # seconds a worker probe is reused: asking the workers takes up to seconds


def worker_checks() -> dict:
    """Workers and beat, as /healthz --deep reports them; the worker probe is cached."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {}
    workers = cache.get(WORKERS_KEY)
    if workers is None:
        workers = health.probe(health.check_workers)
        cache.set(WORKERS_KEY, workers, WORKERS_FOR)
    return {"workers": workers, "beat": health.probe(health.check_beat)}


def site_health(*, now: datetime.datetime) -> SiteHealth:
    grace = datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS)
    counts = OutboxMessage.objects.aggregate(
        failed=Count("pk", filter=Q(status=OutboxMessage.Status.FAILED)),
        overdue=Count(
            "pk",
            filter=Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now - grace),
        ),
    )
    archives = sorted(made_at(settings.BACKUP_DIR), key=lambda item: item[1])
    last, size = (archives[-1][1], archives[-1][0].stat().st_size) if archives else (None, None)
    return SiteHealth(
        failed_messages=counts["failed"],
        overdue_messages=counts["overdue"],
        checks=worker_checks(),
        eager=settings.CELERY_TASK_ALWAYS_EAGER,
        last_backup=last,
        backup_size=size,
        backup_stale=last is None or now - last > datetime.timedelta(hours=26),
    )
