"""The admin's Scheduled jobs menu: site admins see beat's jobs, turn them on and off and change
when they run; and add or edit the intervals and crontab times jobs run on.

The jobs themselves come from settings.CELERY_BEAT_SCHEDULE (site/beat.py), so none is
added or deleted here; nor is a schedule, because deleting one would delete its jobs.
"""

import calendar

from django.utils import formats
from django.utils.functional import cached_property
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import job_results
from .clock import facility_zone


class ChangeOnlyPolicy(ModelPermissionPolicy):
    """View and change; never add, copy or delete."""

    refused = ("add", "copy", "delete")

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.refused])


class NoDeletePolicy(ChangeOnlyPolicy):
    """View, add and change; never delete (a schedule's jobs would go with it)."""

    refused = ("copy", "delete")


class ScheduleViewSet(SnippetViewSet):
    """A viewset whose permissions are narrowed by `policy_class`."""

    policy_class = NoDeletePolicy
    copy_view_enabled = False

    @cached_property
    def permission_policy(self):
        return self.policy_class(self.model)


UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
NAMED = ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second"))


def every(seconds: int) -> str:
    """'Every minute', 'Every 5 minutes', 'Every 2 hours'."""
    for size, name in NAMED:
        if seconds % size == 0:
            count = seconds // size
            return f"Every {name}" if count == 1 else f"Every {count} {name}s"
    return f"Every {seconds} seconds"


def at_time(crontab: CrontabSchedule) -> str:
    """A crontab in words where it is a plain time of day (daily, weekly on a day, monthly
    on a date); otherwise its fields as cron writes them."""
    minute, hour = crontab.minute, crontab.hour
    if not (minute.isdigit() and hour.isdigit()) or crontab.month_of_year != "*":
        return str(crontab)
    clock = f"{int(hour):02d}:{int(minute):02d} ({crontab.timezone})"
    day_of_month, day_of_week = crontab.day_of_month, crontab.day_of_week
    if day_of_month == "*" and day_of_week == "*":
        return f"Daily at {clock}"
    if day_of_week == "*" and day_of_month.isdigit():
        return f"Monthly on day {day_of_month} at {clock}"
    if day_of_month == "*" and day_of_week.isdigit():
        return f"Weekly on {calendar.day_name[(int(day_of_week) - 1) % 7]} at {clock}"
    return str(crontab)


def when(job: PeriodicTask) -> str:
    if job.interval:
        return every(job.interval.every * UNITS.get(job.interval.period, 1))
    if job.crontab:
        return at_time(job.crontab)
    return str(job.solar or job.clocked or "")


def last_run(job: PeriodicTask) -> str:
    if job.last_run_at is None:
        return "Not yet"
    return formats.date_format(job.last_run_at.astimezone(facility_zone()), "D j M Y, H:i")


def result(job: PeriodicTask) -> str:
    outcome = job_results.last_result(job.task)
    if outcome is None:
        return "—"
    return "Succeeded" if outcome["ok"] else f"Failed: {outcome['error']}"


class ScheduledJobViewSet(ScheduleViewSet):
    model = PeriodicTask
    policy_class = ChangeOnlyPolicy
    icon = "time"
    menu_label = "Jobs"
    url_namespace = "scheduled_jobs"
    url_prefix = "scheduled-jobs/jobs"
    search_backend_name = None
    search_fields = ["name", "task"]
    ordering = "name"
    list_select_related = ("interval", "crontab", "solar", "clocked")
    list_display = [
        "name",
        Column("task", label="Task"),
        Column("when", label="Runs", accessor=when),
        BooleanColumn("enabled", label="On"),
        Column("last_run_at", label="Last run", accessor=last_run, sort_key="last_run_at"),
        Column("result", label="Last result", accessor=result),
    ]
    panels = [
        FieldPanel("task", read_only=True),
        FieldPanel("enabled"),
        FieldPanel("interval", help_text="Runs every so often; or choose a crontab time."),
        FieldPanel("crontab"),
        FieldPanel("description"),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(page_title="Scheduled jobs", **kwargs)


class IntervalViewSet(ScheduleViewSet):
    model = IntervalSchedule
    icon = "time"
    menu_label = "Intervals"
    url_namespace = "scheduled_intervals"
    url_prefix = "scheduled-jobs/intervals"
    list_display = ["__str__"]
    panels = [FieldPanel("every"), FieldPanel("period")]


class CrontabViewSet(ScheduleViewSet):
    model = CrontabSchedule
    icon = "date"
    menu_label = "Crontab times"
    url_namespace = "scheduled_crontabs"
    url_prefix = "scheduled-jobs/crontabs"
    list_display = ["__str__"]
    panels = [
        FieldPanel("minute"),
        FieldPanel("hour"),
        FieldPanel("day_of_month"),
        FieldPanel("month_of_year"),
        FieldPanel("day_of_week"),
        FieldPanel("timezone"),
    ]


class ScheduledJobsGroup(SnippetViewSetGroup):
    menu_label = "Scheduled jobs"
    menu_icon = "time"
    menu_order = 800
    items = (ScheduledJobViewSet, IntervalViewSet, CrontabViewSet)
