"""The admin's Scheduled jobs menu: site admins see beat's jobs, turn them on and off and change
when they run; and add or edit the intervals and crontab times jobs run on.

The jobs themselves come from settings.CELERY_BEAT_SCHEDULE (site/beat.py), so none is
added or deleted here; nor is a schedule, because deleting one would delete its jobs.
"""

from django.utils.functional import cached_property
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup


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


def when(job: PeriodicTask) -> str:
    return str(job.interval or job.crontab or job.solar or job.clocked or "")


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
        Column("last_run_at", label="Last run", sort_key="last_run_at"),
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
