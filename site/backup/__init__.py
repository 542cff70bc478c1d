"""Backups: the database and the stored files (uploads and statement PDFs) in one archive
with a manifest of row counts and checksums; restore into an empty database; retention.

`manage.py backup` and `manage.py restore FILE` call these, and so does the nightly beat
task (labitory.tasks.backup_task).
"""

import datetime
import re
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from . import archive, postgres
from .errors import BackupError

__all__ = ["BackupError", "back_up", "create_backup", "prune_backups", "restore_backup"]

STAMP = "%Y%m%dT%H%M%SZ"
ARCHIVE_NAME = re.compile(r"labitory-(\d{8}T\d{6}Z)\.tar")


def back_up(directory: Path | None = None) -> tuple[Path, list[Path]]:
    """Write an archive into `directory` (BACKUP_DIR by default), then apply the retention
    settings; return the archive and the archives deleted."""
    directory = Path(directory or settings.BACKUP_DIR)
    written = create_backup(directory)
    deleted = prune_backups(
        directory, keep_days=settings.BACKUP_RETENTION_DAYS, keep_latest=settings.BACKUP_KEEP_LATEST
    )
    return written, deleted


def create_backup(directory: Path, *, now: datetime.datetime | None = None) -> Path:
    """Write labitory-<UTC time>.tar into `directory` and return its path. The archive only
    appears under its name once complete."""
    made = now or timezone.now()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"labitory-{made.astimezone(datetime.UTC).strftime(STAMP)}.tar"
    partial = target.with_name(target.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(dir=directory) as work:
            dump = Path(work) / archive.DUMP
            database = postgres.dump_database(dump)
            archive.write_archive(
                partial, dump, {"created_at": made.isoformat(), "database": database}
            )
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore_backup(path: Path, *, force: bool = False) -> dict:
    """Restore an archive into the configured database (which must have no tables unless
    `force`) and the storages; return its manifest. Nothing is written until every
    checksum has been verified."""
    with tarfile.open(path, "r") as tar:
        manifest = archive.read_manifest(tar)
        archive.verify(tar, manifest)
        media = [m for m in tar.getmembers() if archive.is_stored_file(m.name)]
        check_target(media, force=force)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / archive.DUMP
            with dump.open("wb") as target:
                shutil.copyfileobj(tar.extractfile(archive.DUMP), target, archive.CHUNK)
            counts = postgres.restore_database(
                dump, dumped_by=manifest["database"]["pg_dump_major"], clean=force
            )
        restore_media(tar, media, force=force)
    if differences := diff(manifest["database"]["tables"], counts):
        raise BackupError(f"Restored row counts differ from the backup's: {differences}")
    return manifest


def check_target(media: list[tarfile.TarInfo], *, force: bool) -> None:
    if force:
        return
    tables = postgres.table_count(postgres.database())
    if tables:
        raise BackupError(
            f"The database already has {tables} tables; restore needs an empty database "
            "(create one with createdb), or --force to replace what the backup holds."
        )
    for member in media:
        storage, name = archive.stored_name(member.name)
        if storage.exists(name):
            raise BackupError(f"The file {member.name} already exists; use --force to replace it.")


def restore_media(tar: tarfile.TarFile, media: list[tarfile.TarInfo], *, force: bool) -> None:
    for member in media:
        storage, name = archive.stored_name(member.name)
        if force and storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, File(tar.extractfile(member), name=name))
        if saved != name:
            raise BackupError(f"The file {member.name} was stored as {saved}.")


def diff(expected: dict[str, int], counts: dict[str, int]) -> str:
    """The backed-up tables whose restored row count differs, as text ("" when none)."""
    return ", ".join(
        f"{table} {count} → {counts.get(table)}"
        for table, count in sorted(expected.items())
        if counts.get(table) != count
    )


def prune_backups(
    directory: Path, *, keep_days: int, keep_latest: int, now: datetime.datetime | None = None
) -> list[Path]:
    """Delete archives older than `keep_days`, always keeping the `keep_latest` newest (so a
    backup job that stopped working never leaves nothing behind). Returns what was deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    archives = sorted(made_at(directory), key=lambda item: item[1], reverse=True)
    doomed = [path for path, made in archives[keep_latest:] if made < cutoff]
    for path in doomed:
        path.unlink()
    return doomed


def made_at(directory: Path) -> list[tuple[Path, datetime.datetime]]:
    found = []
    for path in Path(directory).glob("labitory-*.tar"):
        if match := ARCHIVE_NAME.fullmatch(path.name):
            made = datetime.datetime.strptime(match.group(1), STAMP).replace(tzinfo=datetime.UTC)
            found.append((path, made))
    return found
