"""The workflows app in the Wagtail admin.

Notifications: the outbox listing for site admins (with a retry for failed messages) and
staff's message wording (snippets), in one "Notifications" menu. Each area registers itself
in its own function below.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from workflows.admin_outbox import NotificationsGroup, OutboxPanel


def register_notifications_admin() -> None:
    register_snippet(NotificationsGroup)


register_notifications_admin()


@hooks.register("register_log_actions")
def register_notification_log_actions(actions):
    actions.register_action("workflows.outbox.retried", "Retry", "Message queued to send again")
    actions.register_action(
        "workflows.preferences.changed", "Change notifications", "Notification settings changed"
    )


@hooks.register("construct_homepage_panels")
def add_outbox_panel(request, panels):
    panels.append(OutboxPanel(request))
