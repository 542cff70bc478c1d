"""`manage.py healthcheck [--deep] [--json]`: exit 0 when healthy, 1 with a report when
degraded or down."""

import json

from django.core.management.base import BaseCommand

from labitory.health import run_checks


class Command(BaseCommand):
    help = (
        "Check the database, cache and broker; with --deep also a worker for every queue, "
        "beat's last run and the media storage. Exits 1 when any check fails."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--deep", action="store_true", help="Also check workers, beat and storage."
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the report as JSON."
        )

    def handle(self, *args, deep: bool, as_json: bool, **options) -> None:
        report = run_checks(deep=deep)
        self.stdout.write(json.dumps(report, indent=2) if as_json else as_text(report))
        if report["status"] != "ok":
            raise SystemExit(1)


def as_text(report: dict) -> str:
    width = max(len(name) for name in report["checks"])
    lines = []
    for name, result in report["checks"].items():
        if result["status"] == "ok":
            note = f"{result['ms']} ms" + (f"  {result['detail']}" if "detail" in result else "")
        else:
            note = result["error"]
        lines.append(f"{name:<{width}}  {result['status']:<4}  {note}")
    lines.append(f"overall: {report['status']}")
    return "\n".join(lines)
