"""The waiting list for researchers: join it for a taken time, accept an offer, leave it.

Each view parses input and calls one service; an entry is only ever looked up with its owner,
so another person's entry is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from booking.forms import AcceptOfferForm, BookingForm
from booking.models import Resource, WaitlistEntry
from booking.services import BookingRefused, accept_offer, join_waitlist, withdraw
from labitory.clock import facility_zone


def _own_entry(request: HttpRequest, pk: int) -> WaitlistEntry:
    return get_object_or_404(
        WaitlistEntry.objects.select_related("resource"), pk=pk, user=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.select_related("lab"), pk=resource_id)
    today = timezone.now().astimezone(facility_zone()).date()
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, user=request.user, resource=resource, today=today)
    if request.method == "GET":
        form.initial = form.initial_from(request.GET)
    elif form.is_valid():
        try:
            join_waitlist(
                user=request.user,
                resource=resource,
                project=form.cleaned_data["project"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except BookingRefused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(
                request,
                f"You are on the waiting list for {resource.name}. If the time frees up, "
                "we’ll offer it to you here and by email.",
            )
            return redirect("booking:mine")
    context = {"resource": resource, "form": form, "zone": facility_zone()}
    return render(request, "booking/waitlist_join.html", context)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """From My bookings' button straight to the booking; when the resource asks questions,
    through a page that asks them first (its form sends `answering`)."""
    entry = _own_entry(request, pk)
    answering = "answering" in request.POST
    form = AcceptOfferForm(request.POST if answering else None, entry=entry)
    if form.question_fields and not (answering and form.is_valid()):
        return _ask(request, entry, form)
    try:
        booking = accept_offer(
            entry=entry, user=request.user, answers=form.answers() if answering else None
        )
    except BookingRefused as refused:
        if answering and any(p.field and p.field.startswith("answers.") for p in refused.problems):
            form.add_problems(refused.problems)
            return _ask(request, entry, form)
        for problem in refused.problems:
            messages.error(request, problem.message)
        return redirect("booking:mine")
    messages.success(request, f"The time is yours. Your booking reference is {booking.pk}.")
    return redirect("booking:detail", pk=booking.pk)


def _ask(request: HttpRequest, entry: WaitlistEntry, form: AcceptOfferForm) -> HttpResponse:
    context = {"entry": entry, "form": form, "zone": facility_zone()}
    return render(request, "booking/waitlist_accept.html", context)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    try:
        withdraw(entry=entry, user=request.user)
    except BookingRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem.message)
    else:
        messages.success(request, f"You have left the waiting list for {entry.resource.name}.")
    return redirect("booking:mine")
