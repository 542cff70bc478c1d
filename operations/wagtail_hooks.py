"""Admin: problem reports (scoped to the user's labs) and their log actions."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_views import ProblemReportViewSet

register_snippet(ProblemReportViewSet)


@hooks.register("register_log_actions")
def register_operations_log_actions(actions) -> None:
    for action, label in (
        ("operations.reported", "Problem reported"),
        ("operations.triaged", "Report triaged"),
        ("operations.commented", "Report commented"),
    ):
        actions.register_action(action, label, label)
