"""The admin's Reports area: rate cards, usage records (with export), billing periods,
adjustments, statements, utilisation and imports; and the reporting log actions."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from labitory.clock import facility_zone
from labitory.money import money

from .admin_views.adjustments import AdjustmentCreateView
from .admin_views.analytics import AnalyticsView
from .admin_views.imports import PERMISSIONS, ImportView, import_template
from .admin_views.periods import (
    BillingPeriodIndexView,
    ClosePeriodView,
    render_period_statements,
)
from .admin_views.policies import LimitedPermissionPolicy
from .admin_views.rates import RateCardForm
from .admin_views.statements import StatementIndexView, rerun_statement, statement_status
from .admin_views.usage import UsageRecordFilterSet, UsageRecordIndexView
from .models import Adjustment, BillingPeriod, RateCard, UsageRecord
from .permissions import is_finance


def money_column(name: str, label: str) -> Column:
    return Column(
        name,
        label=label,
        accessor=lambda obj: (
            "UNPRICED" if getattr(obj, name) is None else money(getattr(obj, name))
        ),
        sort_key=name,
    )


class RateCardViewSet(ModelViewSet):
    model = RateCard
    name = "reporting_rate_card"
    url_prefix = "reports/rate-cards"
    icon = "tag"
    menu_label = "Rate cards"
    add_to_admin_menu = False
    copy_view_enabled = True
    list_select_related = ("resource",)
    list_display = [
        "resource",
        "kind",
        "category",
        money_column("hourly_rate", "Per hour"),
        money_column("booking_fee", "Fee"),
        money_column("minimum_charge", "Minimum"),
        "effective_from",
        "effective_to",
    ]
    list_filter = ["kind", "category", "resource"]
    search_fields = ["resource__name"]
    search_backend_name = None
    edit_handler_panels = [
        FieldRowPanel([FieldPanel("resource"), FieldPanel("kind"), FieldPanel("category")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("hourly_rate"),
                        FieldPanel("booking_fee"),
                        FieldPanel("minimum_charge"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("rounding_minutes"),
                        FieldPanel("no_show_percent"),
                        FieldPanel("late_cancellation_percent"),
                    ]
                ),
            ],
            heading="Price",
        ),
        FieldRowPanel([FieldPanel("effective_from"), FieldPanel("effective_to")]),
    ]

    @cached_property
    def edit_handler(self):
        return ObjectList(self.edit_handler_panels, base_form_class=RateCardForm)

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model, refused={"delete"})


class UsageRecordViewSet(ModelViewSet):
    """Read-only: records are made by the usage service, corrected by adjustments."""

    model = UsageRecord
    name = "reporting_usage_record"
    url_prefix = "reports/usage"
    exclude_form_fields = []
    icon = "list-ul"
    menu_label = "Usage records"
    add_to_admin_menu = False
    index_view_class = UsageRecordIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    ordering = "-start"
    filterset_class = UsageRecordFilterSet
    list_select_related = ("resource", "user", "project", "period")
    list_display = [
        Column(
            "start",
            label="Date",
            accessor=lambda r: f"{r.start.astimezone(facility_zone()):%d %b %Y %H:%M}",
            sort_key="start",
        ),
        "resource",
        Column("user", label="User", accessor="user.name"),
        Column("project", label="Project", accessor="project.code", sort_key="project__code"),
        "kind",
        "hours",
        money_column("amount", "Amount"),
        "period",
    ]
    list_export = ["id"]  # the export itself is import-export's UsageRecordResource
    export_filename = "usage-records"

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model)


class BillingPeriodViewSet(ModelViewSet):
    model = BillingPeriod
    name = "reporting_billing_period"
    url_prefix = "reports/periods/list"
    exclude_form_fields = []
    icon = "date"
    menu_label = "Billing periods"
    add_to_admin_menu = False
    index_view_class = BillingPeriodIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "label",
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda period: period.is_open,
        ),
        Column("line_count", label="Lines"),
        Column("unpriced_count", label="Unpriced"),
        Column(
            "usage_total",
            label="Usage total",
            accessor=lambda period: money(period.usage_total or 0),
        ),
        "closed_at",
        "closed_by",
    ]

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model)


class AdjustmentViewSet(ModelViewSet):
    model = Adjustment
    name = "reporting_adjustment"
    url_prefix = "reports/adjustments"
    exclude_form_fields = []
    icon = "edit"
    menu_label = "Adjustments"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("period", "project", "created_by")
    list_display = [
        "period",
        "project",
        money_column("amount", "Amount"),
        "reason",
        "created_by",
        "created_at",
    ]
    list_filter = ["period", "project"]

    @cached_property
    def add_view(self):
        return AdjustmentCreateView.as_view()

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model, refused={"change", "delete"})


def finance_menu_item(label: str, url_name: str, icon: str, order: int, shown=is_finance):
    return type(
        f"{label}MenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: shown(request.user)},
    )


class StatementsViewSet(ViewSet):
    name = "reporting_statements_area"
    url_prefix = "reports/statements"
    icon = "doc-full"
    menu_label = "Statements"
    menu_order = 10

    @cached_property
    def menu_item_class(self):
        return finance_menu_item("Statements", "reporting_statements", "doc-full", 10)

    @property
    def menu_url(self):
        from django.urls import reverse

        return reverse("reporting_statements")

    def get_urlpatterns(self):
        return []


class AnalyticsViewSet(ViewSet):
    name = "reporting_utilisation_area"
    icon = "table"
    menu_label = "Utilisation"

    @cached_property
    def menu_item_class(self):
        return finance_menu_item("Utilisation", "reporting_utilisation", "table", 20)

    @property
    def menu_url(self):
        from django.urls import reverse

        return reverse("reporting_utilisation")

    def get_urlpatterns(self):
        return []


class ImportViewSet(ViewSet):
    name = "reporting_import_area"
    icon = "upload"
    menu_label = "Import"

    @cached_property
    def menu_item_class(self):
        return finance_menu_item(
            "Import",
            "reporting_import",
            "upload",
            30,
            shown=lambda user: any(user.has_perm(p) for p in PERMISSIONS.values()),
        )

    @property
    def menu_url(self):
        from django.urls import reverse

        return reverse("reporting_import")

    def get_urlpatterns(self):
        return []


class ReportsGroup(ViewSetGroup):
    # Not "Reports": Wagtail's own Reports menu (locked pages, site history) sits beside it.
    menu_label = "Finance"
    menu_icon = "doc-full"
    menu_order = 310
    items = (
        StatementsViewSet,
        BillingPeriodViewSet,
        UsageRecordViewSet,
        AdjustmentViewSet,
        RateCardViewSet,
        AnalyticsViewSet,
        ImportViewSet,
    )


@hooks.register("register_admin_viewset")
def register_reports() -> ViewSetGroup:
    return ReportsGroup()


@hooks.register("register_admin_urls")
def reporting_admin_urls():
    return [
        path("reports/statements/", StatementIndexView.as_view(), name="reporting_statements"),
        path("reports/statements/status/", statement_status, name="reporting_statement_status"),
        path(
            "reports/statements/<int:pk>/rerun/", rerun_statement, name="reporting_rerun_statement"
        ),
        path(
            "reports/periods/<int:pk>/close/",
            ClosePeriodView.as_view(),
            name="reporting_close_period",
        ),
        path(
            "reports/periods/<int:pk>/render/",
            render_period_statements,
            name="reporting_render_period",
        ),
        path("reports/utilisation/", AnalyticsView.as_view(), name="reporting_utilisation"),
        path("reports/import/", ImportView.as_view(), name="reporting_import"),
        path(
            "reports/import/template/<slug:kind>.csv",
            import_template,
            name="reporting_import_template",
        ),
    ]


@hooks.register("register_log_actions")
def register_reporting_log_actions(actions) -> None:
    for action, label in (
        ("reporting.usage_recorded", "Usage recorded"),
        ("reporting.usage_repriced", "Usage priced with a new rate card"),
        ("reporting.period_closed", "Billing period closed"),
        ("reporting.adjustment_added", "Adjustment added"),
        ("reporting.statement_requested", "Statement queued"),
        ("reporting.statement_rendered", "Statement rendered"),
    ):
        actions.register_action(action, label, label)
