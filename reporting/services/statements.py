"""Statements: queue them, render them (in a task) with progress, store them with a checksum.

A request bumps the statement's attempt number; the task renders only the attempt it was
given, so a re-run while an older render is still going wins, and a redelivered task for a
finished attempt does nothing.
"""

import base64
import hashlib
import logging
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from labitory.i18n import language_of
from people.models import Project, User

from ..branding import facility_branding
from ..models import BillingPeriod, Statement
from ..notify import announce_statements_ready
from ..queries import StatementData, statement_data, statement_subjects
from ..rendering.chart import bar_chart
from ..rendering.ledger import (
    DEPARTMENT_COLUMNS,
    PROJECT_COLUMNS,
    chunk_rows,
    ledger_heading,
    ledger_row,
)
from ..rendering.pdf import join_parts, render_parts

logger = logging.getLogger(__name__)


def chunk_lines() -> int:
    return getattr(settings, "REPORTING_CHUNK_LINES", 400)


def render_workers() -> int:
    return getattr(settings, "REPORTING_RENDER_WORKERS", None) or os.cpu_count() or 1


def request_statements(
    *,
    period: BillingPeriod,
    by: User | None = None,
    project: Project | None = None,
    dispatch: bool = True,
) -> list[Statement]:
    """Queue the period's statements: one per project (only `project` when given) and, for
    a whole period, one per department. Re-requesting re-renders; returns them. Without
    `dispatch` no task is sent: the caller renders them itself."""
    if project is not None:
        subjects = [{"project": project}]
    else:
        project_ids, department_ids = statement_subjects(period)
        subjects = [{"project_id": pk} for pk in sorted(project_ids)]
        subjects += [{"department_id": pk} for pk in sorted(department_ids)]
    statements = []
    with transaction.atomic():
        for subject in subjects:
            statement, _created = Statement.objects.get_or_create(period=period, **subject)
            statements.append(queue_statement(statement, by=by, dispatch=dispatch))
    return statements


def queue_statement(statement: Statement, *, by: User | None, dispatch: bool = True) -> Statement:
    """Mark one statement queued for a new attempt and send it to the reports queue."""
    from ..tasks import render_statement_task

    Statement.objects.filter(pk=statement.pk).update(
        status=Statement.Status.QUEUED,
        progress=0,
        error="",
        attempt=F("attempt") + 1,
        requested_by=by,
        requested_at=timezone.now(),
    )
    statement.refresh_from_db()
    log(instance=statement, action="reporting.statement_requested", user=by)
    pk, attempt = statement.pk, statement.attempt
    if dispatch:
        transaction.on_commit(lambda: render_statement_task.delay(pk, attempt))
    return statement


def claim(statement_id: int, attempt: int) -> bool:
    """Take the attempt for rendering; False if a newer attempt exists or it is finished.

    A 'rendering' attempt may be taken again: that is the same task redelivered after its
    worker died mid-render (tasks are acknowledged late). Renders are deterministic, so even
    a duplicate would store the same file.
    """
    return bool(
        Statement.objects.filter(
            pk=statement_id,
            attempt=attempt,
            status__in=[Statement.Status.QUEUED, Statement.Status.RENDERING],
        ).update(status=Statement.Status.RENDERING, progress=1)
    )


def set_progress(statement_id: int, attempt: int, percent: int) -> None:
    Statement.objects.filter(pk=statement_id, attempt=attempt).update(progress=percent)


def statement_language(statement: Statement) -> str:
    """A project's statement is in its PI's language (whoever asked for it); a department's
    in the facility's default."""
    if statement.project_id:
        return language_of(statement.project.pi)
    return settings.LANGUAGE_CODE


def render_statement(*, statement_id: int, attempt: int) -> Statement | None:
    """Render one statement attempt to a PDF and store it; failures are recorded on the row
    with their reason. Returns the statement, or None when the attempt was not ours."""
    if not claim(statement_id, attempt):
        return None
    statement = Statement.objects.select_related(
        "period", "project__pi", "project__department", "department"
    ).get(pk=statement_id)
    try:
        with translation.override(statement_language(statement)):
            data = statement_data(statement)
            pdf, pages = statement_pdf(
                statement,
                data,
                lambda done, total: set_progress(statement_id, attempt, 5 + 85 * done // total),
            )
    except Exception as error:
        logger.exception("Statement %s failed to render", statement_id)
        Statement.objects.filter(pk=statement_id, attempt=attempt).update(
            status=Statement.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return Statement.objects.get(pk=statement_id)
    return store(statement, attempt, pdf, pages, data)


def store(
    statement: Statement, attempt: int, pdf: bytes, pages: int, data: StatementData
) -> Statement | None:
    """Save the file and figures, mark ready, and tell others when the period's batch is done."""
    with transaction.atomic():
        BillingPeriod.objects.select_for_update().get(pk=statement.period_id)
        current = Statement.objects.select_for_update().get(pk=statement.pk)
        if current.attempt != attempt:
            return None
        old = current.file.name
        current.file.save(statement.filename, ContentFile(pdf), save=False)
        current.sha256 = hashlib.sha256(pdf).hexdigest()
        current.pages, current.line_count = pages, data.line_count
        current.total = data.grand_total
        current.period_was_closed = data.final
        current.status, current.progress = Statement.Status.READY, 100
        current.rendered_at = timezone.now()
        current.save()
        if old and old != current.file.name:
            transaction.on_commit(lambda: current.file.storage.delete(old))
        log(instance=current, action="reporting.statement_rendered", user=None)
        pending = Statement.objects.filter(
            period_id=statement.period_id,
            status__in=[Statement.Status.QUEUED, Statement.Status.RENDERING],
        )
        if not pending.exists():
            ready = (
                Statement.objects.filter(
                    period_id=statement.period_id, status=Statement.Status.READY
                )
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            # Recorded in this transaction; the outbox delivers after the commit.
            announce_statements_ready(period_id=statement.period_id, statement_ids=list(ready))
    return current


def statement_parts(statement: Statement, data: StatementData) -> list[str]:
    """The front page (branding, summary, chart, adjustments, totals) and the usage lines in
    chunks, each a whole HTML document."""
    css = render_to_string("reporting/statement/style.css")
    chart = bar_chart(
        [(row["resource"], row["hours"]) for row in data.summary],
        title=_("Hours per instrument, %(period)s") % {"period": data.period_label},
    )
    chart_uri = "data:image/svg+xml;base64," + base64.b64encode(chart.encode()).decode()
    front = render_to_string(
        "reporting/statement/front.html",
        {
            "css": css,
            "data": data,
            "branding": facility_branding(),
            "chart_uri": chart_uri,
            "title": _("%(statement)s usage statement") % {"statement": statement},
        },
    )
    columns = DEPARTMENT_COLUMNS if data.by_department else PROJECT_COLUMNS
    rows = [(ledger_row(line, columns), line["priced"]) for line in data.lines]
    chunks = chunk_rows(rows, most=chunk_lines(), text=lambda row: row[0])
    parts = [front]
    for number, chunk in enumerate(chunks):
        parts.append(
            render_to_string(
                "reporting/statement/lines.html",
                {
                    "css": css,
                    "heading": ledger_heading(columns),
                    "rows": chunk,
                    "first": number == 0,
                },
            )
        )
    return parts


def statement_pdf(statement: Statement, data: StatementData, on_progress) -> tuple[bytes, int]:
    parts = statement_parts(statement, data)
    rendered = render_parts(parts, workers=render_workers(), on_progress=on_progress)
    parts_of_label = (facility_branding().name, statement.number, data.subject, data.period_label)
    label = " · ".join(parts_of_label)
    title = _("Usage statement %(statement)s") % {"statement": statement}
    return join_parts(rendered, footer_label=label, title=title)
