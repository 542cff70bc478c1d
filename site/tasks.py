"""The project's own scheduled jobs, on the maintenance queue (`labitory.tasks.*`)."""

from celery import shared_task

from labitory import backup
from labitory.health import record_beat_heartbeat


@shared_task(name="labitory.tasks.beat_heartbeat_task")
def beat_heartbeat_task() -> None:
    """Every minute: proof for `healthcheck --deep` that beat (and this queue) runs."""
    record_beat_heartbeat()


@shared_task(name="labitory.tasks.backup_task")
def backup_task() -> str:
    """Nightly: back up the database and media, then drop archives past retention."""
    written, _ = backup.back_up()
    return str(written)
