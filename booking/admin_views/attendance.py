"""Staff recording attendance for a booker in the admin (from the booking or the lab
schedule): check in, check out or no-show, with a reason, through
`booking.services.record_attendance` like every other path."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import Booking
from ..services import AttendanceRefused, IllegalTransition, desk_actions, record_attendance
from .bookings import BookingUrlsMixin, booking_label, local_time
from .forms import AttendanceForm

DONE = {"check_in": "checked in", "check_out": "checked out", "no_show": "recorded as a no-show"}


class AttendanceView(
    BookingUrlsMixin,
    PermissionCheckedMixin,
    BaseObjectMixin,
    WagtailAdminTemplateMixin,
    FormView,
):
    model = Booking
    permission_required = "change"
    form_class = AttendanceForm
    template_name = "booking/admin/attendance.html"
    page_title = "Record attendance"
    header_icon = "user"
    index_url_name = None

    def get_base_object_queryset(self):
        return Booking.objects.select_related("resource__lab", "user", "project")

    def get_page_subtitle(self):
        return booking_label(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Bookings"},
            {"url": self.get_inspect_url_for(self.object), "label": booking_label(self.object)},
            {"url": "", "label": "Record attendance", "sublabel": booking_label(self.object)},
        ]

    def get_form_kwargs(self):
        actions = desk_actions(self.object, self.request.user, timezone.now())
        return {**super().get_form_kwargs(), "choices": [(a.value, a.label) for a in actions]}

    def back_url(self) -> str:
        return get_valid_next_url_from_request(self.request) or self.get_inspect_url_for(
            self.object
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            booking = record_attendance(
                booking=self.object,
                by=self.request.user,
                action=data["action"],
                reason=data["reason"],
            )
        except IllegalTransition as refusal:
            messages.error(self.request, refusal.message)
            return redirect(self.back_url())
        except AttendanceRefused as refusal:
            for problem in refusal.problems:
                field = problem.field if problem.field in form.fields else None
                form.add_error(field, problem.message)
            return self.form_invalid(form)
        who = booking.user.name
        messages.success(
            self.request, f"{who} {DONE[data['action']]} for {booking_label(booking)}."
        )
        return redirect(self.back_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            booking=self.object,
            start=local_time(self.object.start),
            end=local_time(self.object.end),
            inspect_url=self.get_inspect_url_for(self.object),
            next=get_valid_next_url_from_request(self.request),
        )
        return context
