"""PostgreSQL's side of a backup: pg_dump and pg_restore with the configured database's
credentials, a client no older than the server, and row counts taken in the dump's snapshot."""

import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connections
from psycopg import sql

from .errors import BackupError


def database() -> dict:
    settings_dict = connections["default"].settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(
            "Backups need PostgreSQL; this site runs on SQLite (copy its database file instead)."
        )
    return settings_dict


def connection_options(db: dict) -> dict:
    options = {"dbname": db["NAME"], "host": db["HOST"] or None, "port": db["PORT"] or None,
               "user": db["USER"] or None, "password": db["PASSWORD"] or None,
               "sslmode": db.get("OPTIONS", {}).get("sslmode")}  # fmt: skip
    return {key: str(value) for key, value in options.items() if value is not None}


def libpq_env(db: dict) -> dict[str, str]:
    """The environment for pg_dump and pg_restore: the password never appears in `ps`."""
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER",
             "password": "PGPASSWORD", "sslmode": "PGSSLMODE"}  # fmt: skip
    return {**os.environ, **{names[key]: value for key, value in connection_options(db).items()}}


def tool_major(tool: str) -> int:
    try:
        output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        message = f"{tool} is not available ({error}); install postgresql-client."
        raise BackupError(message) from error
    found = re.search(r"(\d+)(?:\.\d+)?", output.stdout)
    if not found:
        raise BackupError(f"Could not read {tool}'s version from {output.stdout!r}.")
    return int(found.group(1))


def server_major(db: dict) -> int:
    with psycopg.connect(**connection_options(db)) as conn:
        return conn.info.server_version // 10000


def require_tool_for(tool: str, major: int) -> int:
    """A client older than the server (or than the dump) cannot read what it must."""
    tool_version = tool_major(tool)
    if tool_version < major:
        raise BackupError(
            f"{tool} {tool_version} is older than PostgreSQL {major}; "
            f"install postgresql-client-{major}."
        )
    return tool_version


USER_TABLES = (
    "SELECT schemaname, tablename FROM pg_tables "
    "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
)


def row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = conn.execute(USER_TABLES).fetchall()
    counts = {}
    for schema, table in tables:
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(
            sql.Identifier(schema), sql.Identifier(table)
        )
        label = table if schema == "public" else f"{schema}.{table}"
        counts[label] = conn.execute(query).fetchone()[0]
    return counts


@contextmanager
def snapshot(db: dict):
    """A repeatable-read transaction whose snapshot pg_dump shares: the row counts describe
    exactly the data in the dump, even while the site keeps writing."""
    with psycopg.connect(**connection_options(db)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            yield conn, snapshot_id


def dump_database(target: Path) -> dict:
    """Dump the database in pg_dump's custom format; return what the manifest records."""
    db = database()
    major = server_major(db)
    pg_dump = require_tool_for("pg_dump", major)
    with snapshot(db) as (conn, snapshot_id):
        counts = row_counts(conn)
        run(["pg_dump", "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"], db)
    return {"name": db["NAME"], "server_major": major, "pg_dump_major": pg_dump, "tables": counts}


def table_count(db: dict) -> int:
    with psycopg.connect(**connection_options(db)) as conn:
        return len(conn.execute(USER_TABLES).fetchall())


def restore_database(dump: Path, *, dumped_by: int, clean: bool) -> dict[str, int]:
    """Restore the dump in one transaction (all or nothing); return the restored row counts."""
    db = database()
    require_tool_for("pg_restore", max(dumped_by, server_major(db)))
    options = ["--clean", "--if-exists"] if clean else []
    run(["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
         *options, f"--dbname={db['NAME']}", str(dump)], db)  # fmt: skip
    with psycopg.connect(**connection_options(db)) as conn:
        return row_counts(conn)


def run(command: list[str], db: dict) -> None:
    result = subprocess.run(command, env=libpq_env(db), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
