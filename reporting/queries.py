"""Reads: a statement's figures, and what the admin lists and charts."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from labitory.clock import facility_zone
from labitory.money import money as formatted

from .models import Adjustment, BillingPeriod, Statement, UsageRecord

ZERO = Decimal("0.00")


@dataclass
class StatementData:
    """Every figure a statement shows, computed once; the PDF and the tests read this."""

    period_label: str
    final: bool
    closed_on: str
    subject: str
    facts: list[tuple[str, str]]
    by_department: bool
    lines: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    adjustments: list[dict] = field(default_factory=list)
    usage_total: Decimal = ZERO
    adjustments_total: Decimal = ZERO
    total_hours: Decimal = ZERO
    unpriced_count: int = 0

    @property
    def line_count(self) -> int:
        return len(self.lines)

    @property
    def grand_total(self) -> Decimal:
        return self.usage_total + self.adjustments_total


def scope_filter(statement: Statement, prefix: str = "") -> Q:
    if statement.project_id:
        return Q(**{f"{prefix}project_id": statement.project_id})
    return Q(**{f"{prefix}department_id": statement.department_id})


def usage_lines(statement: Statement) -> QuerySet[UsageRecord]:
    return (
        UsageRecord.objects.filter(scope_filter(statement), period_id=statement.period_id)
        .select_related("resource", "user", "project")
        .order_by("start", "pk")
    )


def statement_adjustments(statement: Statement) -> QuerySet[Adjustment]:
    scope = (
        Q(project_id=statement.project_id)
        if statement.project_id
        else Q(project__department_id=statement.department_id)
    )
    return (
        Adjustment.objects.filter(scope, period_id=statement.period_id)
        .select_related("project", "created_by")
        .order_by("created_at", "pk")
    )


def money(value: Decimal | None) -> str:
    return "UNPRICED" if value is None else formatted(value)


def statement_facts(statement: Statement) -> list[tuple[str, str]]:
    period = statement.period
    facts = [
        ("Statement number", statement.number),
        ("Period", f"{period.starts_on:%d %B %Y} – {period.ends_on:%d %B %Y}"),
    ]
    if statement.project_id:
        project = statement.project
        facts += [
            ("Cost centre", f"{project.code} · {project.name}"),
            ("PI", project.pi.name),
            ("Department", project.department.name),
        ]
    else:
        facts.append(("Department", f"{statement.department.name} ({statement.department.code})"))
    return facts


def statement_data(statement: Statement) -> StatementData:
    """The figures of one statement, in Decimal, from the stored usage and adjustments."""
    period: BillingPeriod = statement.period
    zone = facility_zone()
    data = StatementData(
        period_label=period.label,
        final=not period.is_open,
        closed_on=f"{period.closed_at.astimezone(zone):%d %B %Y}" if period.closed_at else "",
        subject=statement.subject_label,
        facts=statement_facts(statement),
        by_department=not statement.project_id,
    )
    per_resource: dict[str, dict] = defaultdict(
        lambda: {"lines": 0, "hours": ZERO, "amount": ZERO, "unpriced": 0}
    )
    for record in usage_lines(statement):
        data.lines.append(
            {
                "date": f"{record.start.astimezone(zone):%d %b %Y %H:%M}",
                "ref": f"B-{record.booking_id}",
                "resource": record.resource.name,
                "user": record.user.name,
                "project": record.project.code,
                "kind": record.get_kind_display(),
                "hours": f"{record.hours:.2f}",
                "rate": money(record.hourly_rate),
                "amount": money(record.amount),
                "priced": record.is_priced,
            }
        )
        row = per_resource[record.resource.name]
        row["lines"] += 1
        row["hours"] += record.hours
        data.total_hours += record.hours
        if record.is_priced:
            row["amount"] += record.amount
            data.usage_total += record.amount
        else:
            row["unpriced"] += 1
            data.unpriced_count += 1
    data.summary = [
        {**row, "resource": name, "amount": money(row["amount"])}
        for name, row in sorted(per_resource.items(), key=lambda item: -item[1]["hours"])
    ]
    for adjustment in statement_adjustments(statement):
        data.adjustments.append(
            {
                "date": f"{adjustment.created_at.astimezone(zone):%d %b %Y}",
                "reason": adjustment.reason,
                "project": adjustment.project.code,
                "author": adjustment.created_by.name,
                "amount": money(adjustment.amount),
            }
        )
        data.adjustments_total += adjustment.amount
    return data


def statement_subjects(period: BillingPeriod) -> tuple[set[int], set[int]]:
    """Ids of the projects and departments that have usage or adjustments in the period."""
    projects = set(
        UsageRecord.objects.filter(period=period).values_list("project_id", flat=True).distinct()
    )
    departments = set(
        UsageRecord.objects.filter(period=period).values_list("department_id", flat=True).distinct()
    )
    for project_id, department_id in Adjustment.objects.filter(period=period).values_list(
        "project_id", "project__department_id"
    ):
        projects.add(project_id)
        departments.add(department_id)
    return projects, departments
