"""`manage.py render_statements --period 2026-10 [--project CODE]`: render now, in this process."""

from django.core.management.base import BaseCommand, CommandError

from labitory.money import money
from people.models import Project
from reporting.models import Statement
from reporting.problems import PeriodRefused
from reporting.services import period_by_code, render_statement, request_statements


class Command(BaseCommand):
    help = (
        "Render a billing period's usage statements (every project and department, or one "
        "project) to PDF now, and print where each is stored with its SHA-256."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, help="The month, as YYYY-MM.")
        parser.add_argument("--project", help="Only this project's statement (its code).")

    def handle(self, *args, period: str, project: str | None = None, **options) -> None:
        try:
            billing_period = period_by_code(period)
        except PeriodRefused as refused:
            raise CommandError(refused.problems[0].message) from refused
        chosen = None
        if project:
            chosen = Project.objects.filter(code=project).first()
            if chosen is None:
                raise CommandError(f"There is no project with the code “{project}”.")
        statements = request_statements(period=billing_period, project=chosen, dispatch=False)
        if not statements:
            self.stdout.write(f"{billing_period.label} has no usage or adjustments to state.")
            return
        failed = 0
        for queued in statements:
            statement = render_statement(statement_id=queued.pk, attempt=queued.attempt)
            statement = statement or Statement.objects.get(pk=queued.pk)
            if statement.status == Statement.Status.READY:
                self.stdout.write(
                    f"{statement}: {statement.line_count} lines, {money(statement.total)}, "
                    f"{statement.pages} pages, {statement.file.name} sha256 {statement.sha256}"
                )
            else:
                failed += 1
                self.stderr.write(
                    f"{statement}: {statement.get_status_display()} {statement.error}"
                )
        if failed:
            raise CommandError(f"{failed} statement(s) failed to render.")
