"""`manage.py seed_demo`: build the demo facility and print how to sign in to it.

Refuses unless the settings allow demo data (demo/allowed.py): never on a production site."""

from collections.abc import Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.allowed import refuse_unless_allowed
from demo.facility import DemoConflict, SeedReport, seed_demo_facility
from workflows.outbox import suppressed as suppressed_notifications


class Command(BaseCommand):
    help = (
        "Create the demo facility: settings, labs, instruments, policies, departments, "
        "projects and one user per role. Creates only what is missing and never changes "
        "existing records, so it is safe to run again. Refused unless the settings allow "
        "demo data (the development and test settings do)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="",
            help="Seed the facility in this language: 'de' translates the pages into German "
            "and gives the new demo people German as their language.",
        )

    def handle(self, *args, **options) -> None:
        refuse_unless_allowed("seed_demo")
        try:
            # The demo people are not emailed about the bookings made for them.
            with suppressed_notifications(), transaction.atomic():
                report = seed_demo_facility(language=options["language"])
        except DemoConflict as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("Demo facility ready."))
        for line in summary_lines(report):
            self.stdout.write(line)
        self.stdout.write("\nDemo logins:")
        rows = [
            (login.label, login.email, login.password, login.authenticator_key or "-")
            for login in report.logins
        ]
        for line in table(("Role", "Email", "Password", "Authenticator key"), rows):
            self.stdout.write(line)
        self.stdout.write(
            "\nStaff sign in with a second factor: add the authenticator key to any "
            "authenticator app,\nor print the current code with "
            "`python manage.py demo_code EMAIL`."
        )


def summary_lines(report: SeedReport) -> list[str]:
    width = max((len(kind) for kind in report.kinds), default=0)
    lines = [
        f"  {kind:<{width}}  {report.created[kind]:>3} created, "
        f"{report.existing[kind]:>3} already there"
        for kind in report.kinds
    ]
    return lines + [f"  {event}" for event in report.events]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns under a header and a rule, as lines of text."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    rule = ["-" * width for width in widths]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in (header, rule, *rows)
    ]
