"""Beat's schedule lives in the database: the settings' jobs are added when missing, and a
site admin's changes survive beat restarting and later migrations."""

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from labitory.beat import Scheduler, add_missing_jobs
from labitory.celery import app

pytestmark = pytest.mark.django_db


def test_beat_uses_the_scheduler_that_keeps_stored_jobs():
    assert settings.CELERY_BEAT_SCHEDULER == "labitory.beat:Scheduler"
    assert app.conf.beat_scheduler == "labitory.beat:Scheduler"


def test_every_job_of_the_settings_is_in_the_database_after_migrate():
    stored = dict(PeriodicTask.objects.values_list("name", "task"))

    for name, job in settings.CELERY_BEAT_SCHEDULE.items():
        assert stored.get(name) == job["task"]


def test_a_missing_job_is_added_with_its_default_timing():
    PeriodicTask.objects.filter(name="sweep-outbox").delete()

    assert add_missing_jobs() == ["sweep-outbox"]
    job = PeriodicTask.objects.get(name="sweep-outbox")
    assert (job.interval.every, job.interval.period) == (60, IntervalSchedule.SECONDS)
    assert job.enabled


# Beat closes stale connections as it reads the schedule, as a long-running process must.
@pytest.mark.django_db(transaction=True)
def test_beat_starting_keeps_a_site_admins_timing_and_switch():
    ten_minutes, _ = IntervalSchedule.objects.get_or_create(
        every=10, period=IntervalSchedule.MINUTES
    )
    PeriodicTask.objects.filter(name="send-booking-reminders").update(
        interval=ten_minutes, enabled=False
    )

    Scheduler(app=app, lazy=True).setup_schedule()

    job = PeriodicTask.objects.get(name="send-booking-reminders")
    assert job.interval == ten_minutes
    assert not job.enabled
    assert PeriodicTask.objects.filter(name__in=settings.CELERY_BEAT_SCHEDULE).count() == len(
        settings.CELERY_BEAT_SCHEDULE
    )
