"""The workflows app in the Wagtail admin.

Approvals: rules (scoped to the coordinator's labs), delegations, the approval queue with
its menu item (the approver's panel on the admin home is in dashboards/), and the approval
log actions. Notifications: the outbox
listing for site admins (with a retry for failed messages) and staff's message wording
(snippets), in one "Notifications" menu.
"""

from django.urls import include, path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from booking.admin_views.scoping import LabScopedViewSetMixin

from . import queries
from .admin_forms import ApprovalRuleForm, DelegationForm
from .admin_outbox import NotificationsGroup
from .admin_views import DecisionView, QueueView
from .models import ApprovalRule, Delegation
from .permissions import OwnDelegationsPolicy


class ApprovalRuleViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = ApprovalRule
    icon = "tasks"
    menu_label = "Approval rules"
    lab_paths = ("lab",)
    list_select_related = ("lab",)
    list_display = ["name", "lab", "order", "is_active"]
    list_filter = ["lab", "is_active"]
    search_fields = ["name"]
    search_backend_name = None
    base_form_class = ApprovalRuleForm
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("lab"), FieldPanel("order"), FieldPanel("is_active")]),
        MultiFieldPanel(
            [FieldPanel("resources"), FieldPanel("categories")],
            heading="Applies to (empty: the whole lab)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("match"),
                FieldPanel("always"),
                FieldPanel("first_booking"),
                FieldPanel("outside_opening_hours"),
                FieldPanel("longer_than"),
                FieldPanel("lacks_unsupervised_qualification"),
                FieldPanel("booker_categories"),
                FieldPanel("cost_above"),
                FieldRowPanel([FieldPanel("answer_question"), FieldPanel("answer_value")]),
            ],
            heading="When a booking needs approval",
        ),
        InlinePanel("steps", heading="Who approves, step by step", label="Step", min_num=1),
        MultiFieldPanel(
            [FieldPanel("reminder_after"), FieldPanel("escalate_after"), FieldPanel("escalation")],
            heading="Reminders and escalation",
        ),
    ]


class DelegationViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = Delegation
    icon = "user"
    menu_label = "Delegations"
    list_select_related = ("delegator", "delegate")
    list_display = ["delegator", "delegate", "starts_on", "ends_on"]
    base_form_class = DelegationForm
    panels = ["delegator", "delegate", "starts_on", "ends_on", "note"]

    @cached_property
    def permission_policy(self) -> OwnDelegationsPolicy:
        return OwnDelegationsPolicy(self.model)


class ApprovalsGroup(SnippetViewSetGroup):
    menu_label = "Approvals"
    menu_icon = "tasks"
    menu_order = 205
    items = (ApprovalRuleViewSet, DelegationViewSet)


register_snippet(ApprovalsGroup)
register_snippet(NotificationsGroup)


@hooks.register("register_admin_urls")
def register_approval_queue_urls():
    urls = [
        path("", QueueView.as_view(), name="queue"),
        path("<int:task_id>/", DecisionView.as_view(), name="decide"),
    ]
    return [path("approvals/queue/", include((urls, "workflows_admin")))]


class QueueMenuItem(MenuItem):
    """Shown only to someone with requests waiting (the dashboard panel says how many)."""

    def is_shown(self, request) -> bool:
        return queries.open_task_count(request.user) > 0


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return QueueMenuItem(
        "Waiting for me", reverse("workflows_admin:queue"), icon_name="tasks", order=204
    )


@hooks.register("register_log_actions")
def register_approval_log_actions(actions) -> None:
    for action, label in (
        ("workflows.approval.opened", "Approval requested"),
        ("workflows.approval.assigned", "Approval step assigned"),
        ("workflows.approval.approved", "Approval step approved"),
        ("workflows.approval.rejected", "Approval rejected"),
        ("workflows.approval.escalated", "Approval escalated"),
        ("workflows.approval.superseded", "Approval request superseded by a change"),
    ):
        actions.register_action(action, label, label)


@hooks.register("register_log_actions")
def register_notification_log_actions(actions):
    actions.register_action("workflows.outbox.retried", "Retry", "Message queued to send again")
    actions.register_action(
        "workflows.preferences.changed", "Change notifications", "Notification settings changed"
    )
