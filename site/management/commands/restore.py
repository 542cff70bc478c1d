"""`manage.py restore FILE [--force]`: restore a backup into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from labitory.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into the configured database and media storage. "
        "The database must have no tables; --force instead drops and recreates every object "
        "the backup holds and overwrites its media files (tables and files the backup does "
        "not hold are left as they are)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="A labitory-*.tar archive.")
        parser.add_argument(
            "--force", action="store_true", help="Restore over an existing database and media."
        )

    def handle(self, *args, archive: Path, force: bool, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"There is no archive at {archive}.")
        try:
            manifest = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = manifest["database"]["tables"]
        media = sum(1 for name in manifest["files"] if name.startswith(("media/", "private/")))
        self.stdout.write(
            f"Restored {archive.name} (made {manifest['created_at']}): {len(tables)} tables, "
            f"{sum(tables.values()):,} rows and {media} files, each checked."
        )
