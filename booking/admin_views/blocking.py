"""Creating a maintenance window or a closure: first see which bookings it cancels, then
confirm.

The first valid submit shows the bookings the block hits and asks to confirm; the confirm
button carries the ids it showed. If the hit bookings changed in between (someone booked or
cancelled), the list is shown again. Saving goes through the block's service
(`schedule_maintenance`, `create_closure`), which cancels them and tells their bookers.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.snippets.views.snippets import CreateView

from ..models import Booking
from ..services import (
    BlockRefused,
    bookings_hit_by,
    bookings_hit_by_closure,
    create_closure,
    schedule_maintenance,
)
from .bookings import local_time

CONFIRM_FIELD = "confirm_bookings"


class BlockCreateView(CreateView):
    """Preview, confirm, create. Subclasses say which bookings the form's block hits, how to
    create it, and what it is called."""

    hit_bookings: list[Booking] | None = None
    noun = "window"
    verb = "scheduled"

    def bookings_hit(self, data: dict) -> list[Booking]:
        raise NotImplementedError

    def get_initial(self):
        """The lab schedule's empty cells link here with the resource and the hour chosen."""
        wanted = ("lab", "resource", "starts_at", "ends_at")
        return {key: value for key in wanted if (value := self.request.GET.get(key))}

    def create(self, data: dict):
        raise NotImplementedError

    def confirmed_ids(self) -> list[int]:
        shown = self.request.POST.get(CONFIRM_FIELD)
        if shown is None:
            return []
        return sorted(int(pk) for pk in shown.split(",") if pk.isdigit())

    def form_valid(self, form):
        self.form = form
        hit = self.bookings_hit(form.cleaned_data)
        if hit and self.confirmed_ids() != sorted(booking.pk for booking in hit):
            self.hit_bookings = hit
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.object = self.create(form.cleaned_data)
        except BlockRefused as refusal:
            for problem in refusal.problems:
                field = problem.field if problem.field in form.fields else None
                form.add_error(field, problem.message)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(len(hit)))
        return redirect(self.get_success_url())

    def success_text(self, cancelled: int) -> str:
        text = f"{self.model._meta.verbose_name.capitalize()} '{self.object.reason}' {self.verb}."
        if cancelled:
            text += f" {cancelled} booking{'s' if cancelled != 1 else ''} cancelled."
        return text

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(block_noun=self.noun, block_verb=self.verb)
        if self.hit_bookings:
            context["hit_bookings"] = [
                {
                    "booking": booking,
                    "start": local_time(booking.start),
                    "end": local_time(booking.end),
                }
                for booking in self.hit_bookings
            ]
            context["confirm_field"] = CONFIRM_FIELD
            context["confirm_value"] = ",".join(str(booking.pk) for booking in self.hit_bookings)
        return context


class MaintenanceCreateView(BlockCreateView):
    noun, verb = "window", "scheduled"

    def bookings_hit(self, data: dict) -> list[Booking]:
        return list(
            bookings_hit_by(
                resources=[data["resource"]], starts_at=data["starts_at"], ends_at=data["ends_at"]
            )
        )

    def create(self, data: dict):
        return schedule_maintenance(
            resource=data["resource"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            by=self.request.user,
        )


class ClosureCreateView(BlockCreateView):
    noun, verb = "closure", "created"

    def bookings_hit(self, data: dict) -> list[Booking]:
        return list(
            bookings_hit_by_closure(
                lab=data.get("lab"),
                resource=data.get("resource"),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
            )
        )

    def create(self, data: dict):
        return create_closure(
            lab=data.get("lab"),
            resource=data.get("resource"),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
            by=self.request.user,
        )
