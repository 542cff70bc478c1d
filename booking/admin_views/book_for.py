"""Booking for a researcher from the admin: a form that calls `booking.services.book_for`,
whose refusals are shown beside the field they are about; and the report of the rules
overridden that way."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.coreutils import multigetattr

from ..models import Booking, StaffBooking
from ..services import BookingRefused, OnBehalf, OnBehalfRefused, book_for
from .bookings import BookingIndexView, booking_label, local_time
from .forms import BookForForm

# Where a refusal's problem is shown when its field is not one of the form's.
FIELD_OF = {"user": "researcher", "overrides": "overrides"}


class BookForView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    model = Booking
    permission_required = "change"
    form_class = BookForForm
    template_name = "booking/admin/book_for.html"
    page_title = "Book for a researcher"
    header_icon = "user"
    index_url_name = None
    inspect_url_name = None

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Bookings"},
            {"url": "", "label": "Book for a researcher"},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}

    def get_initial(self):
        """The lab schedule links here with the resource (and the hour) already chosen."""
        wanted = ("resource", "start", "end")
        return {key: value for key in wanted if (value := self.request.GET.get(key))}

    def form_valid(self, form):
        data = form.cleaned_data
        on_behalf = OnBehalf(
            staff=self.request.user,
            overrides=frozenset(data["overrides"]),
            reason=data["override_reason"],
        )
        try:
            booking = book_for(
                on_behalf=on_behalf,
                researcher=data["researcher"],
                resource=data["resource"],
                project=data["project"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
            )
        except (OnBehalfRefused, BookingRefused) as refusal:
            for problem in refusal.problems:
                name = FIELD_OF.get(problem.field, problem.field)
                form.add_error(name if name in form.fields else None, problem.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Booked {booking_label(booking)} for {booking.user.name} "
            f"({booking.get_status_display().lower()}).",
        )
        return redirect(reverse(self.inspect_url_name, args=(quote(booking.pk),)))


class OverrideReportView(BookingIndexView):
    """The lab's bookings made for researchers with rules overridden: who, what and why."""

    page_title = "Overridden rules"
    filterset_class = None
    list_display = [
        "resource",
        Column("user", label="For", accessor="user.name", sort_key="user__last_name"),
        Column("start", label="Start", accessor=lambda b: local_time(b.start), sort_key="start"),
        Column("staff", label="Booked by", accessor="made_by_staff.staff.name"),
        Column("overrode", label="Overrode", accessor=lambda b: overridden_text(b.made_by_staff)),
        Column("reason", label="Why", accessor="made_by_staff.reason"),
    ]
    list_export = ["id", "resource", "user", "start", "staff", "overrode", "reason"]
    export_headings = {"user": "For", "staff": "Booked by", "overrode": "Overrode", "reason": "Why"}
    export_filename = "overridden-rules"
    EXPORTED = {
        "start": lambda b: local_time(b.start),
        "staff": lambda b: b.made_by_staff.staff.name,
        "overrode": lambda b: overridden_text(b.made_by_staff),
        "reason": lambda b: b.made_by_staff.reason,
    }

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(made_by_staff__isnull=False)
            .exclude(made_by_staff__overridden=[])
            .select_related("made_by_staff__staff")
        )

    def to_row_dict(self, item) -> dict:
        return {
            name: self.EXPORTED[name](item) if name in self.EXPORTED else multigetattr(item, name)
            for name in self.list_export
        }

    @cached_property
    def header_buttons(self):
        return []


def overridden_text(made: StaffBooking) -> str:
    return ", ".join(name.replace("_", " ") for name in made.overridden)
