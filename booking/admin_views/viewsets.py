"""One admin viewset per model, each scoped to the user's labs, plus the lab schedule."""

from django import forms
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import Booking, Closure, Lab, MaintenanceWindow, Qualification, Resource
from ..permissions import coordinated_lab_ids, is_facility_wide
from .attendance import AttendanceView
from .blocking import ClosureCreateView, MaintenanceCreateView
from .book_for import BookForView, OverrideReportView
from .bookings import (
    BookingEditView,
    BookingHistoryView,
    BookingIndexView,
    BookingInspectView,
    CancelBookingView,
    local_time,
)
from .filters import (
    BookingFilterSet,
    ClosureFilterSet,
    MaintenanceWindowFilterSet,
    QualificationFilterSet,
    ResourceFilterSet,
)
from .forms import (
    CategoryCheckboxes,
    ClosureForm,
    MaintenanceWindowForm,
    QualificationForm,
    ResourceForm,
)
from .resources import ResourceEditView
from .schedule import LabScheduleView
from .scoping import LabScopedViewSetMixin, in_facility_zone
from .status import SetStatusView


def moment_column(name: str, label: str) -> Column:
    """A date and time in the facility's zone (the views run in it), sortable."""
    return Column(
        name, label=label, accessor=lambda obj: local_time(getattr(obj, name)), sort_key=name
    )


class ResourceViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = Resource
    icon = "calendar-alt"
    lab_paths = ("lab",)
    list_select_related = ("lab", "category")
    list_display = [
        "name",
        "lab",
        "category",
        "capacity",
        BooleanColumn("is_active", label="Active", sort_key="is_active"),
        TitleColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            url_name="wagtailsnippets_booking_resource:status",
            sort_key="status",
        ),
    ]
    filterset_class = ResourceFilterSet
    search_fields = ["name"]
    search_backend_name = None
    base_form_class = ResourceForm
    edit_view_class = ResourceEditView
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel(
                    [
                        FieldPanel("lab", widget=forms.Select),
                        FieldPanel("category", widget=forms.Select),
                    ]
                ),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("is_active")]),
            ],
            heading="General",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("granularity"),
                        FieldPanel("min_duration"),
                        FieldPanel("max_duration"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("min_notice"), FieldPanel("horizon_days"), FieldPanel("buffer")]
                ),
                FieldRowPanel(
                    [FieldPanel("max_future_bookings"), FieldPanel("cancellation_cutoff")]
                ),
                FieldPanel("allow_outside_hours"),
            ],
            heading="Booking rules",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("checkin_window"), FieldPanel("release_no_shows")]),
                FieldPanel("billing_basis"),
            ],
            heading="Attendance & billing",
        ),
        MultiFieldPanel(
            [
                FieldPanel("requires_qualification"),
                InlinePanel(
                    "required_policies",
                    heading="Policies to accept",
                    label="Policy",
                    help_text="Bookers must have accepted the current version of each.",
                ),
                InlinePanel(
                    "opening_hours",
                    heading="Opening hours",
                    label="Opening interval",
                    help_text="A day may have several intervals. No intervals means always open.",
                    panels=[
                        FieldRowPanel(
                            [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]
                        )
                    ],
                ),
                InlinePanel(
                    "questions",
                    heading="Booking questions",
                    label="Question",
                    help_text="Asked on the booking form. Editing a question never changes the "
                    "answers of bookings already made.",
                    panels=[
                        FieldPanel("text"),
                        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
                        FieldPanel("help_text"),
                        FieldPanel("options"),
                        FieldPanel("only_for_categories", widget=CategoryCheckboxes),
                        FieldPanel("only_for_projects"),
                    ],
                ),
                InlinePanel(
                    "quotas",
                    heading="Quotas",
                    label="Quota",
                    help_text="Hours of booked time allowed in each week or month.",
                    panels=[
                        FieldRowPanel(
                            [FieldPanel("scope"), FieldPanel("period"), FieldPanel("hours")]
                        )
                    ],
                ),
            ],
            heading="Access",
        ),
    ]

    @property
    def status_view(self):
        return self.construct_view(SetStatusView)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<int:pk>/", self.status_view, name="status"),
        ]


class BookingViewSet(LabScopedViewSetMixin, SnippetViewSet):
    """Read, filter and cancel. No add, edit or delete: bookings change only through services."""

    model = Booking
    icon = "date"
    lab_paths = ("resource__lab",)
    refused_actions = ("add", "delete")
    list_select_related = ("resource", "user", "project")
    inspect_view_enabled = True
    inspect_view_fields = [
        "resource",
        "user",
        "project",
        "start",
        "end",
        "status",
        "series",
        "note",
        "created_at",
        "cancelled_at",
        "cancel_reason",
        "late_cancellation",
        "checked_in_at",
        "checked_out_at",
    ]
    copy_view_enabled = False
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    history_view_class = BookingHistoryView
    edit_view_class = BookingEditView
    filterset_class = BookingFilterSet
    ordering = "-start"
    list_per_page = 50
    list_display = [
        "resource",
        Column("user", label="Booked by", accessor="user.name", sort_key="user__last_name"),
        Column("project", label="Project", accessor="project.code", sort_key="project__code"),
        moment_column("start", "Start"),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda booking: booking.holds_slot,
            sort_key="status",
        ),
    ]
    panels = [FieldPanel("note")]
    list_export = [
        "id",
        "resource",
        "user",
        "project",
        "start",
        "end",
        "status",
        "note",
        "answers",
    ]
    export_headings = {"user": "Booked by", "answers": "Answers"}
    export_filename = "bookings"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            cancel_url_name=self.get_url_name("cancel"),
            attendance_url_name=self.get_url_name("attendance"),
            book_for_url_name=self.get_url_name("book_for"),
            overrides_url_name=self.get_url_name("overrides"),
            **kwargs,
        )

    @property
    def cancel_view(self):
        return self.construct_view(CancelBookingView)

    @property
    def attendance_view(self):
        return self.construct_view(AttendanceView)

    @property
    def book_for_view(self):
        return self.construct_view(BookForView)

    @property
    def override_report_view(self):
        return self.construct_view(
            OverrideReportView,
            index_url_name=self.get_url_name("overrides"),
            index_results_url_name=None,
            queryset=self.get_queryset,  # the lab scope, as the bookings list has it
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("cancel/<int:pk>/", self.cancel_view, name="cancel"),
            path("attendance/<int:pk>/", self.attendance_view, name="attendance"),
            path("book-for/", self.book_for_view, name="book_for"),
            path("overrides/", self.override_report_view, name="overrides"),
        ]


def closure_scope(closure: Closure) -> str:
    if closure.resource_id:
        return closure.resource.name
    return f"All of {closure.lab.name}"


class ClosureViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = Closure
    icon = "lock"
    lab_paths = ("lab", "resource__lab")
    list_select_related = ("lab", "resource")
    list_display = [
        "reason",
        Column("scope", label="Applies to", accessor=closure_scope),
        moment_column("starts_at", "Starts"),
        moment_column("ends_at", "Ends"),
    ]
    filterset_class = ClosureFilterSet
    ordering = "-starts_at"
    search_fields = ["reason"]
    search_backend_name = None
    add_view_class = ClosureCreateView
    create_template_name = "booking/admin/block_create.html"
    base_form_class = ClosureForm
    panels = [
        FieldRowPanel(
            [FieldPanel("lab", widget=forms.Select), FieldPanel("resource", widget=forms.Select)],
            heading="Applies to",
            help_text="A lab closes all of its resources; a resource closes only that one.",
        ),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("reason", help_text="Bookers whose bookings are cancelled see this reason."),
    ]


class MaintenanceWindowViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = MaintenanceWindow
    icon = "cog"
    lab_paths = ("resource__lab",)
    list_select_related = ("resource", "created_by")
    list_display = [
        "reason",
        "resource",
        moment_column("starts_at", "Starts"),
        moment_column("ends_at", "Ends"),
        "created_by",
    ]
    filterset_class = MaintenanceWindowFilterSet
    ordering = "-starts_at"
    search_fields = ["reason"]
    search_backend_name = None
    add_view_class = MaintenanceCreateView
    create_template_name = "booking/admin/block_create.html"
    base_form_class = MaintenanceWindowForm
    panels = [
        FieldPanel("resource", widget=forms.Select),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("reason", help_text="Bookers whose bookings are cancelled see this reason."),
    ]


class QualificationViewSet(LabScopedViewSetMixin, SnippetViewSet):
    model = Qualification
    icon = "success"
    lab_paths = ("resource__lab",)
    list_select_related = ("user", "resource", "granted_by")
    list_display = ["user", "resource", "expires_on", "unsupervised", "granted_by", "granted_at"]
    filterset_class = QualificationFilterSet
    search_fields = ["user__email", "user__first_name", "user__last_name", "resource__name"]
    search_backend_name = None
    base_form_class = QualificationForm
    panels = [
        FieldPanel("user", widget=forms.Select),
        FieldPanel("resource", widget=forms.Select),
        FieldPanel("expires_on"),
        FieldPanel("unsupervised"),
        FieldPanel("note"),
    ]


class LabViewSet(LabScopedViewSetMixin, SnippetViewSet):
    """Site admins create labs; a coordinator sees their own lab here, read-only."""

    model = Lab
    icon = "site"
    lab_paths = ("pk",)
    list_display = ["name", "slug", "coordinators"]
    list_select_related = ("coordinators",)
    search_fields = ["name"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("coordinators")]


class LabScheduleViewSet(ViewSet):
    name = "lab_schedule"
    url_prefix = "lab-schedule"
    icon = "table"
    menu_label = "Lab schedule"

    @cached_property
    def menu_item_class(self):
        def is_shown(item, request):
            user = request.user
            return is_facility_wide(user) or bool(coordinated_lab_ids(user))

        return type("LabScheduleMenuItem", (MenuItem,), {"is_shown": is_shown})

    def get_urlpatterns(self):
        view = in_facility_zone(LabScheduleView.as_view())
        return [path("", view, name="index")]
