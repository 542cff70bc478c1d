"""Staff recording attendance for a booker in the admin (from the booking or the lab
schedule): check in, check out or no-show, with a reason, through
`booking.services.record_attendance` like every other path."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from wagtail.admin.utils import get_valid_next_url_from_request

from ..services import AttendanceRefused, IllegalTransition, desk_actions, record_attendance
from .bookings import BookingActionView, booking_label, local_time
from .forms import AttendanceForm

DONE = {"check_in": "checked in", "check_out": "checked out", "no_show": "recorded as a no-show"}


class AttendanceView(BookingActionView):
    form_class = AttendanceForm
    template_name = "booking/admin/attendance.html"
    page_title = "Record attendance"
    header_icon = "user"

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
