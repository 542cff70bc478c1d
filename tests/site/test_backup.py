"""Backups: a seeded database and its statement PDFs, archived and restored into a fresh
database, come back row for row and byte for byte; retention keeps what it should."""

import datetime
import hashlib
import io
import os
import subprocess
import sys
import tarfile

import dj_database_url
import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from labitory.backup import prune_backups
from labitory.tasks import backup_task
from reporting.models import Statement
from tests.factories import ensure_tree_roots
from tests.workers import ROOT, database_url

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="pg_dump and pg_restore need a PostgreSQL DATABASE_URL"
)
NOW = datetime.datetime(2026, 11, 27, 3, 0, tzinfo=datetime.UTC)


def archive_named(folder, made: datetime.datetime):
    path = folder / f"labitory-{made.strftime('%Y%m%dT%H%M%SZ')}.tar"
    path.write_bytes(b"")
    return path


def test_retention_deletes_archives_older_than_the_limit(tmp_path):
    days = [0, 1, 2, 3, 13, 15, 30]
    paths = {day: archive_named(tmp_path, NOW - datetime.timedelta(days=day)) for day in days}
    unrelated = tmp_path / "notes.tar"
    unrelated.write_bytes(b"")

    deleted = prune_backups(tmp_path, keep_days=14, keep_latest=3, now=NOW)

    assert sorted(deleted) == sorted([paths[15], paths[30]])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [paths[day].name for day in (0, 1, 2, 3, 13)] + ["notes.tar"]
    )


def test_retention_keeps_the_newest_archives_when_backups_stopped_long_ago(tmp_path):
    paths = [archive_named(tmp_path, NOW - datetime.timedelta(days=40 + day)) for day in range(5)]

    deleted = prune_backups(tmp_path, keep_days=14, keep_latest=3, now=NOW)

    assert sorted(deleted) == sorted(paths[3:])
    assert all(path.exists() for path in paths[:3])


@pytest.mark.skipif(ON_POSTGRES, reason="tests the refusal on SQLite")
def test_a_backup_on_sqlite_is_refused_with_the_reason(db, tmp_path):
    with pytest.raises(CommandError, match="Backups need PostgreSQL"):
        call_command("backup", "--dir", str(tmp_path))


def table_rows(url: str) -> dict[str, int]:
    """Rows in every table, counted here rather than by the code under test."""
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        ).fetchall()
        return {
            name: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
            ).fetchone()[0]
            for (name,) in tables
        }


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"] + "_restore_test"
    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url().rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(drop)


def restore_in_a_new_process(archive, url: str, media, private=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "labitory.settings.test",
           "DATABASE_URL": url, "MEDIA_ROOT": str(media),
           "PRIVATE_ROOT": str(private or media.with_name(media.name + "-private"))}  # fmt: skip
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_seeded_site_restores_into_a_fresh_database_row_for_row(
    eager_tasks, fresh_database, tmp_path, settings
):
    settings.PRIVATE_ROOT = tmp_path / "private"  # where statement PDFs are stored
    ensure_tree_roots()  # an earlier transactional test may have flushed Wagtail's tree
    call_command("seed_demo", stdout=io.StringIO())
    statement = Statement.objects.filter(status=Statement.Status.READY).first()
    assert statement is not None and statement.sha256

    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("labitory-*.tar")
    restored = restore_in_a_new_process(
        archive, fresh_database, tmp_path / "restored-media", tmp_path / "restored-private"
    )

    assert restored.returncode == 0, restored.stderr
    original = table_rows(database_url())
    assert table_rows(fresh_database) == original
    assert original["booking_booking"] > 0 and len(original) > 50
    restored_pdf = tmp_path / "restored-private" / statement.file.name
    assert sha256(restored_pdf) == statement.sha256
    with psycopg.connect(fresh_database) as conn:
        stored = conn.execute(
            "SELECT file, sha256 FROM reporting_statement WHERE id = %s", [statement.pk]
        ).fetchone()
    assert stored == (statement.file.name, statement.sha256)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_the_nightly_task_backs_up_a_site_with_no_uploads_yet_and_applies_retention(
    eager_tasks, settings, tmp_path
):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    settings.BACKUP_RETENTION_DAYS, settings.BACKUP_KEEP_LATEST = 14, 1
    expired = archive_named(settings.BACKUP_DIR, NOW - datetime.timedelta(days=400))
    assert not settings.MEDIA_ROOT.exists()

    written = backup_task.delay().get()

    assert [path.name for path in settings.BACKUP_DIR.iterdir()] == [os.path.basename(written)]
    assert not expired.exists()
    with tarfile.open(written) as tar:
        assert {"database.dump", "manifest.json"} <= set(tar.getnames())


@pytest.fixture
def small_archive(tmp_path, settings):
    default_storage.save("documents/rules.txt", ContentFile(b"Book no more than a week ahead."))
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("labitory-*.tar")
    return archive


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_with_tables_is_refused(small_archive):
    tables = len(connection.introspection.table_names())

    with pytest.raises(CommandError, match=f"The database already has {tables} tables"):
        call_command("restore", str(small_archive))


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_before_anything_is_written(
    small_archive, fresh_database, tmp_path
):
    data = bytearray(small_archive.read_bytes())
    with tarfile.open(small_archive) as tar:
        member = tar.getmember("media/documents/rules.txt")
    data[member.offset_data] ^= 0xFF
    small_archive.write_bytes(bytes(data))

    restored = restore_in_a_new_process(small_archive, fresh_database, tmp_path / "restored")

    assert restored.returncode != 0
    assert "media/documents/rules.txt does not match its checksum" in restored.stderr
    assert table_rows(fresh_database) == {}
    assert not (tmp_path / "restored").exists()
