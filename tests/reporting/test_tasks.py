"""Tasks are registered and routed to their queues; the monthly beat job is scheduled; the
command renders on demand and refuses a bad period."""

import io

import pytest
from celery import current_app
from django.conf import settings
from django.core.management import CommandError, call_command

from reporting import tasks
from reporting.models import BillingPeriod, Statement
from reporting.services import record_usage
from tests.reporting.conftest import at, finished


def test_every_reporting_task_is_registered():
    for name in (
        "reporting.tasks.render_statement_task",
        "reporting.tasks.render_last_month_task",
        "reporting.tasks.record_usage_task",
        "reporting.tasks.record_missing_usage_task",
    ):
        assert name in current_app.tasks


def test_rendering_goes_to_the_reports_queue_and_bookkeeping_to_maintenance():
    router = current_app.amqp.router
    route = lambda name: router.route({}, name)["queue"].name  # noqa: E731
    assert route("reporting.tasks.render_statement_task") == "reports"
    assert route("reporting.tasks.render_last_month_task") == "reports"
    assert route("reporting.tasks.record_usage_task") == "maintenance"


def test_beat_renders_last_months_statements_at_the_start_of_each_month():
    entry = settings.CELERY_BEAT_SCHEDULE["render-last-month-statements"]
    assert entry["task"] == tasks.render_last_month_task.name
    assert entry["schedule"].day_of_month == {1}


def test_the_monthly_job_queues_last_months_statements(confocal, card, researcher, project):
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    assert tasks.render_last_month_task(today="2026-11-01") == 2  # project and department
    assert set(Statement.objects.values_list("status", flat=True)) == {"queued"}


def test_the_command_renders_a_projects_statement(confocal, card, researcher, project):
    record_usage(booking=finished(confocal, researcher, project, at(5, 9)))
    out = io.StringIO()
    call_command("render_statements", "--period", "2026-10", "--project", "BIO-2041", stdout=out)
    statement = Statement.objects.get(project=project)
    assert statement.status == Statement.Status.READY
    assert statement.sha256 in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "write it as YYYY-MM"),
        (["--period", "2019-01"], "no billing period for January 2019"),
        (["--period", "2026-10", "--project", "NOPE"], "no project with the code"),
    ],
)
def test_the_command_explains_bad_input(db, args, message):
    BillingPeriod.objects.create(starts_on=at(1, 0).date(), ends_on=at(31, 0).date())
    with pytest.raises(CommandError, match=message):
        call_command("render_statements", *args)
