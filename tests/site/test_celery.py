from django.conf import settings

from labitory.celery import app


def test_the_celery_app_declares_the_three_work_queues():
    assert {queue.name for queue in app.conf.task_queues} == {
        "notifications",
        "reports",
        "maintenance",
    }


def test_the_celery_app_reads_django_settings():
    assert app.conf.task_acks_late is settings.CELERY_TASK_ACKS_LATE is True


def test_a_killed_worker_gives_its_task_back():
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_unrouted_tasks_go_to_the_notifications_queue():
    route = app.amqp.router.route({}, "some.unrouted.task")

    assert route["queue"].name == "notifications"


def test_report_tasks_go_to_the_reports_queue():
    route = app.amqp.router.route({}, "reporting.tasks.render_statement_task")

    assert route["queue"].name == "reports"


def test_the_projects_own_jobs_go_to_the_maintenance_queue():
    for name in ("labitory.tasks.beat_heartbeat_task", "labitory.tasks.backup_task"):
        assert app.amqp.router.route({}, name)["queue"].name == "maintenance"


def test_beat_records_its_heartbeat_every_minute_and_backs_up_nightly():
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert by_task["labitory.tasks.beat_heartbeat_task"] == 60.0
    nightly = by_task["labitory.tasks.backup_task"]
    assert (nightly.hour, nightly.minute) == ({1}, {15})
