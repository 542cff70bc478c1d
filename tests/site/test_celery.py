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
