"""Celery beat's schedule is kept in the database (django_celery_beat), where site admins
change it (the admin's Scheduled jobs menu). settings.CELERY_BEAT_SCHEDULE holds the defaults:
an entry missing from the database is added (at `migrate` and when beat starts), and an
entry already there is left as it was last saved — django_celery_beat's own scheduler
would reset its timing to the default at every start, undoing a site admin's change.
"""

from celery import current_app
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry


def add_missing_jobs(app=None) -> list[str]:
    """Create the database entries of settings.CELERY_BEAT_SCHEDULE that do not exist yet;
    return their names."""
    defaults = settings.CELERY_BEAT_SCHEDULE
    existing = set(PeriodicTask.objects.filter(name__in=defaults).values_list("name", flat=True))
    missing = [name for name in defaults if name not in existing]
    for name in missing:
        ModelEntry.from_entry(name, app=app or current_app, **defaults[name])
    return missing


class Scheduler(DatabaseScheduler):
    """The database scheduler, but defaults never overwrite what is stored. (Nor does it add
    Celery's result clean-up job: the project keeps no task results.)"""

    def setup_schedule(self) -> None:
        add_missing_jobs(self.app)


def add_missing_jobs_after_migrate(sender, **kwargs) -> None:
    """post_migrate: once, after the last app, when django_celery_beat's tables exist."""
    from people.roles import is_last_app

    if is_last_app(sender):
        add_missing_jobs()
