"""Bookings in the admin: a filtered listing, an inspect page with history, and cancel.

Bookings are never added, edited or deleted here; cancelling goes through
`booking.services.cancel_booking` like every other path.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, View
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.coreutils import multigetattr
from wagtail.log_actions import registry as log_registry
from wagtail.snippets.views.snippets import HistoryView, IndexView, InspectView

from ..answers import answers_text
from ..models import Booking
from ..permissions import can_cancel_booking, why_not_cancellable
from ..services import IllegalTransition, cancel_booking, desk_actions
from .forms import CancelBookingForm


def local_time(value) -> str:
    """A moment in the active (facility) zone, e.g. "Mon 9 Mar 2030, 14:30"."""
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "D j M Y, H:i")


def booking_label(booking: Booking) -> str:
    """The booking as staff name it: resource and local start (its __str__ shows UTC)."""
    return f"{booking.resource.name}, {local_time(booking.start)}"


MOMENTS = {"start", "end", "created_at", "cancelled_at", "checked_in_at", "checked_out_at"}


class BookingUrlsMixin:
    inspect_url_name = None
    cancel_url_name = None
    attendance_url_name = None

    def get_inspect_url_for(self, booking: Booking) -> str:
        return reverse(self.inspect_url_name, args=(quote(booking.pk),))

    def get_cancel_url_for(self, booking: Booking) -> str | None:
        if not can_cancel_booking(booking, now=timezone.now()):
            return None
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", booking
        ):
            return None
        return reverse(self.cancel_url_name, args=(quote(booking.pk),))

    def get_attendance_url_for(self, booking: Booking) -> str | None:
        """Offered while staff may record something for the booking now."""
        if not desk_actions(booking, self.request.user, timezone.now()):
            return None
        return reverse(self.attendance_url_name, args=(quote(booking.pk),))


class BookingIndexView(BookingUrlsMixin, IndexView):
    """Rows link to the inspect page; the row menu offers cancel where the booking allows it,
    the header booking for a researcher."""

    book_for_url_name = None
    overrides_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse(self.book_for_url_name)
            buttons.append(HeaderButton("Book for a researcher", url=url, icon_name="user"))
            url = reverse(self.overrides_url_name)
            buttons.append(HeaderButton("Overridden rules", url=url, icon_name="warning"))
        return buttons

    def get_edit_url(self, instance):
        return None

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("answers")

    def to_row_dict(self, item) -> dict:
        """An exported row, with the answers to the booking questions in one cell."""
        return {
            field: answers_text(item) if field == "answers" else multigetattr(item, field)
            for field in self.list_export
        }

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if cancel_url := self.get_cancel_url_for(instance):
            buttons.append(
                MenuItem("Cancel booking", url=cancel_url, icon_name="cross", priority=40)
            )
        return buttons


class BookingInspectView(BookingUrlsMixin, InspectView):
    """Every field in the facility's time, then the booking's log: who did what, when."""

    template_name = "booking/admin/booking_inspect.html"

    def get_object(self, queryset=None):
        bookings = Booking.objects.select_related(
            "resource__lab", "user", "project", "series", "made_by_staff__staff"
        )
        return get_object_or_404(bookings, pk=self.pk)

    def get_field_display_value(self, field_name, field):
        if field_name in MOMENTS:
            return local_time(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)

    def get_edit_url(self):
        return None

    def get_page_subtitle(self):
        return booking_label(self.object)

    @cached_property
    def header_buttons(self):
        buttons = []
        if attendance_url := self.get_attendance_url_for(self.object):
            buttons.append(HeaderButton("Record attendance", url=attendance_url, icon_name="user"))
        if cancel_url := self.get_cancel_url_for(self.object):
            buttons.append(HeaderButton("Cancel booking", url=cancel_url, icon_name="cross"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answers"] = self.object.answers.all()
        context["log_entries"] = (
            log_registry.get_logs_for_instance(self.object)
            .select_related("user")
            .order_by("-timestamp", "-pk")
        )
        return context


class BookingHistoryView(HistoryView):
    """The generic history, whose header leads back to the inspect page, not an editor."""

    inspect_url_name = None

    def get_edit_url(self, instance):
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton("Inspect", url=self.get_edit_url(self.object), icon_name="info-circle")
        ]


class BookingEditView(View):
    """There is no booking editor in the admin: the edit URL shows the booking instead."""

    inspect_url_name = None

    def dispatch(self, request, *args, **kwargs):
        return redirect(self.inspect_url_name, kwargs["pk"])


class BookingActionView(
    BookingUrlsMixin,
    PermissionCheckedMixin,
    BaseObjectMixin,
    WagtailAdminTemplateMixin,
    FormView,
):
    """A form about one booking (cancel it, record attendance), reached from its page: the
    subclass names the form, template, title and icon."""

    model = Booking
    permission_required = "change"
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
            {"url": "", "label": self.page_title, "sublabel": booking_label(self.object)},
        ]


class CancelBookingView(BookingActionView):
    """Ask for a reason, then cancel through the booking service."""

    form_class = CancelBookingForm
    template_name = "booking/admin/cancel_booking.html"
    page_title = "Cancel booking"
    header_icon = "cross"

    def get(self, request, *args, **kwargs):
        if not can_cancel_booking(self.object, now=timezone.now()):
            return self.refuse()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not can_cancel_booking(self.object, now=timezone.now()):
            return self.refuse()
        return super().post(request, *args, **kwargs)

    def refuse(self):
        messages.error(self.request, why_not_cancellable(self.object, now=timezone.now()))
        return redirect(self.get_inspect_url_for(self.object))

    def form_valid(self, form):
        try:
            booking = cancel_booking(
                booking=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except IllegalTransition as refusal:
            messages.error(self.request, str(refusal))
            return redirect(self.get_inspect_url_for(self.object))
        message = f"Booking '{booking_label(booking)}' cancelled."
        if booking.late_cancellation:
            message += " It was after the cancellation cut-off, so it counts as late."
        messages.success(self.request, message)
        return redirect(
            get_valid_next_url_from_request(self.request) or reverse(self.index_url_name)
        )

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
