"""`manage.py backup [--dir DIR]`: archive the database and media, then apply retention."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from labitory.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Write one archive (PostgreSQL dump, media files and statements, manifest with row "
        "counts and checksums) into BACKUP_DIR, then delete archives older than "
        "BACKUP_RETENTION_DAYS, keeping at least the BACKUP_KEEP_LATEST newest."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir", dest="directory", type=Path, help="Where to write (default BACKUP_DIR)."
        )

    def handle(self, *args, directory: Path | None = None, **options) -> None:
        try:
            written, deleted = back_up(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
        for path in deleted:
            self.stdout.write(f"Deleted {path.name} (past retention).")
