"""The approval queue and decision page inside the Wagtail admin, for staff approvers.

The same handlers as the site's screens (workflows/views/approvals.py), in admin dress.
"""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .views.approvals import handle_decision, handle_queue


class AdminScreen(WagtailAdminTemplateMixin, View):
    http_method_names = ["get", "post"]
    header_icon = "tasks"

    def page(self, context: dict, status: int) -> TemplateResponse:
        return TemplateResponse(
            self.request, self.template_name, self.get_context_data(**context), status=status
        )


class QueueView(AdminScreen):
    template_name = "workflows/admin/queue.html"
    page_title = "Waiting for my approval"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        return handle_queue(request, page=self.page, decide_url="workflows_admin:decide")


class DecisionView(AdminScreen):
    template_name = "workflows/admin/decide.html"
    page_title = "Decide a booking request"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("workflows_admin:queue"), "label": QueueView.page_title},
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, task_id: int, *args, **kwargs):
        return handle_decision(request, task_id, page=self.page, queue_url=self.back_url())

    def back_url(self) -> str:
        """Where a decision returns to: the queue, or the admin home when decided from its
        approver panel (the one other place that posts here)."""
        home = reverse("wagtailadmin_home")
        return home if self.request.POST.get("next") == home else reverse("workflows_admin:queue")
