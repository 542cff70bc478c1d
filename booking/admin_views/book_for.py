"""Booking for a researcher from the admin: a form that calls `booking.services.book_for`,
whose refusals are shown beside the field they are about."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import Booking
from ..services import BookingRefused, OnBehalf, OnBehalfRefused, book_for
from .bookings import booking_label
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
        """The lab schedule links here with the resource (and a start) already chosen."""
        wanted = ("resource", "start")
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
