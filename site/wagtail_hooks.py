from wagtail.snippets.models import register_snippet

from .admin_jobs import ScheduledJobsGroup

register_snippet(ScheduledJobsGroup)
