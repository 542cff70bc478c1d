"""`manage.py move_statements_to_private_storage`: move statement PDFs still in the public
media storage into the private one (the migration did it once; safe to repeat)."""

from django.core.management.base import BaseCommand

from reporting.models import Statement
from reporting.services.statement_files import move_statement_files


class Command(BaseCommand):
    help = (
        "Move statement PDFs left in the public media storage (MEDIA_ROOT/statements/) into "
        "the private storage under random names, and report statements whose file is missing."
    )

    def handle(self, *args, **options) -> None:
        outcome = move_statement_files(Statement, report=self.stderr.write)
        self.stdout.write(
            f"{len(outcome.moved)} moved, {len(outcome.already_private)} already private, "
            f"{len(outcome.missing)} missing."
        )
