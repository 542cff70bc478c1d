"""Problem reports in the admin, scoped to the user's labs: a listing to triage from, and an
edit screen whose save goes through operations.services.triage_report (status, assignee,
a comment for the reporter), showing the report, its comments and a way to set the
instrument's status."""

from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from booking.admin_views.scoping import LabScopedViewSetMixin
from booking.models import Resource

from .forms import TriageForm
from .models import ProblemReport
from .services import ReportRefused, triage_report


class TriageView(EditView):
    def form_valid(self, form):
        self.form = form
        data = form.cleaned_data
        try:
            self.object = triage_report(
                report=self.object,
                by=self.request.user,
                status=data["status"],
                assignee=data["assignee"],
                comment=data["comment"],
                bring_up=data.get("bring_up", False),
            )
        except ReportRefused as refused:
            for problem in refused.problems:
                field = problem.field if problem.field in form.fields else None
                form.add_error(field, problem.message)
            self.produced_error_message = "The report was not saved: see below."
            return self.form_invalid(form)
        return self.save_action()

    @cached_property
    def header_buttons(self):
        status_url = reverse(
            Resource.snippet_viewset.get_url_name("status"), args=[self.object.resource_id]
        )
        return [
            *super().header_buttons,
            HeaderButton("Set the instrument's status", url=status_url, icon_name="warning"),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = ProblemReport.objects.select_related("resource", "reporter").get(
            pk=self.object.pk
        )
        context["comments"] = self.object.comments.select_related("author")
        return context


class ProblemReportViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = ProblemReport
    icon = "warning"
    menu_label = "Problem reports"
    menu_order = 205
    add_to_admin_menu = True
    lab_paths = ("resource__lab",)
    # Reports are made on the site by the people who found the problem, and kept.
    refused_actions = ("add", "delete")
    list_select_related = ("resource", "reporter", "assignee")
    list_display = [
        "summary",
        "resource",
        Column("severity", label="Severity", accessor="get_severity_display"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        "assignee",
        "created_at",
    ]
    list_filter = ["status", "severity"]
    ordering = "-created_at"
    search_fields = ["summary", "details"]
    search_backend_name = None
    copy_view_enabled = False
    edit_view_class = TriageView
    edit_template_name = "operations/admin/triage.html"
    base_form_class = TriageForm
    panels = [
        FieldPanel("status"),
        FieldPanel("assignee"),
        FieldPanel("comment"),
        FieldPanel("bring_up"),
    ]
