"""Setting an instrument's status in the admin: going down first lists the upcoming bookings
the outage hits, then cancels them or warns their bookers on confirmation, through
`booking.services.set_resource_status` like every other path."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from ..models import Booking, Resource
from ..services import StatusChange, StatusRefused, bookings_hit_by_outage, set_resource_status
from .bookings import local_time
from .forms import ResourceStatusForm

CONFIRM_FIELD = "confirm_bookings"


class SetStatusView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView):
    model = Resource
    permission_required = "change"
    form_class = ResourceStatusForm
    template_name = "booking/admin/set_status.html"
    page_title = "Instrument status"
    header_icon = "warning"
    index_url_name = None
    hit_bookings: list[Booking] | None = None

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": "Resources"},
            {"url": "", "label": "Instrument status", "sublabel": self.object.name},
        ]

    def get_initial(self):
        resource = self.object
        return {
            "status": resource.status,
            "note": resource.status_note,
            "expected_back": resource.expected_back,
        }

    def change_from(self, data: dict) -> StatusChange:
        return StatusChange(
            status=data["status"],
            note=data["note"],
            expected_back=data["expected_back"],
            cancel_hit=data["on_hit"] != "warn",
        )

    def confirmed_ids(self) -> list[int]:
        shown = self.request.POST.get(CONFIRM_FIELD, "")
        return sorted(int(pk) for pk in shown.split(",") if pk.isdigit())

    def form_valid(self, form):
        change = self.change_from(form.cleaned_data)
        now = timezone.now()
        hit = []
        if change.status == Resource.Status.DOWN and change.expected_back:
            hit = list(
                bookings_hit_by_outage(resource=self.object, until=change.expected_back, now=now)
            )
        if hit and self.confirmed_ids() != sorted(booking.pk for booking in hit):
            self.hit_bookings = hit
            return self.render_to_response(self.get_context_data(form=form))
        try:
            _, hit = set_resource_status(
                resource=self.object, change=change, by=self.request.user, now=now
            )
        except StatusRefused as refusal:
            for problem in refusal.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(change, len(hit)))
        return redirect(reverse(self.index_url_name))

    def success_text(self, change: StatusChange, hit: int) -> str:
        text = f"{self.object.name} is now {self.object.get_status_display().lower()}."
        if hit:
            done = "cancelled" if change.cancel_hit else "kept, their bookers warned"
            text += f" {hit} booking{'s' if hit != 1 else ''} {done}."
        return text

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resource"] = self.object
        context["expected_back"] = local_time(self.object.expected_back)
        if self.hit_bookings:
            context["hit_bookings"] = [
                {"booking": b, "start": local_time(b.start), "end": local_time(b.end)}
                for b in self.hit_bookings
            ]
            context["confirm_field"] = CONFIRM_FIELD
            context["confirm_value"] = ",".join(str(b.pk) for b in self.hit_bookings)
        return context
