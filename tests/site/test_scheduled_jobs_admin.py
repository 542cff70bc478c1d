"""The admin's Scheduled jobs: site admins change when a job runs or switch it off; jobs
are never added or deleted there; other staff do not see them."""

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db

JOBS = "/admin/scheduled-jobs/jobs/"


@pytest.fixture
def job() -> PeriodicTask:
    return PeriodicTask.objects.get(name="expire-approvals")


def test_site_admins_see_each_job_and_when_it_runs(client, site_admin):
    sign_in_with_second_factor(client, site_admin)

    page = client.get(JOBS).content.decode()

    assert "expire-approvals" in page
    assert "workflows.tasks.expire_approvals_task" in page
    assert "Every minute" in page and "Every 5 minutes" in page
    assert "Monthly on day 1 at 02:30 (UTC)" in page
    assert "Not yet" in page


def test_a_job_shows_its_last_run_in_the_facilitys_zone_and_its_result(
    client, site_admin, job, settings
):
    import datetime

    from labitory import job_results

    settings.TIME_ZONE = "Europe/London"
    job.last_run_at = datetime.datetime(2030, 7, 1, 13, 5, tzinfo=datetime.UTC)
    job.save(update_fields=["last_run_at"])
    job_results.record(job.task, ok=False, error="RuntimeError: the mail server refused")
    sign_in_with_second_factor(client, site_admin)

    page = client.get(JOBS).content.decode()

    assert "Mon 1 Jul 2030, 14:05" in page  # BST
    assert "Failed: RuntimeError: the mail server refused" in page


def test_a_finished_task_records_its_result():
    from labitory import job_results
    from labitory.tasks import beat_heartbeat_task

    beat_heartbeat_task.apply()

    assert job_results.last_result("labitory.tasks.beat_heartbeat_task")["ok"] is True


def test_a_site_admin_moves_a_job_to_another_interval_and_switches_it_off(client, site_admin, job):
    sign_in_with_second_factor(client, site_admin)
    five_minutes, _ = IntervalSchedule.objects.get_or_create(
        every=5, period=IntervalSchedule.MINUTES
    )

    response = client.post(
        f"{JOBS}edit/{job.pk}/",
        {"interval": five_minutes.pk, "crontab": "", "description": "Less often"},
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.interval == five_minutes and not job.enabled
    assert job.task == "workflows.tasks.expire_approvals_task"


def test_a_job_with_two_timings_is_refused(client, site_admin, job):
    sign_in_with_second_factor(client, site_admin)
    crontab = PeriodicTask.objects.get(name="render-last-month-statements").crontab

    response = client.post(
        f"{JOBS}edit/{job.pk}/",
        {"enabled": "on", "interval": job.interval_id, "crontab": crontab.pk},
    )

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.crontab is None


def test_jobs_are_not_added_or_deleted_in_the_admin(client, site_admin, job):
    sign_in_with_second_factor(client, site_admin)

    assert client.get(f"{JOBS}add/").status_code in (302, 403)
    client.post(f"{JOBS}delete/{job.pk}/")
    assert PeriodicTask.objects.filter(pk=job.pk).exists()


def test_other_staff_are_refused(client, finance):
    sign_in_with_second_factor(client, finance)

    response = client.get(JOBS)

    assert response.status_code in (302, 403)
