"""Researchers' booking screens: book a resource (once or as a series), one
booking, change or hand it over, cancel (one or part of a series), check in and out, accept a
policy. Each view parses input, calls one service and renders the result.

A person only ever reaches their own bookings: every lookup is by (pk, user), so another
person's booking id is a 404.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.answers import stored_answers
from booking.estimates import estimate
from booking.explain import rule_sentences, standing
from booking.forecast import Forecast, forecast
from booking.forms import (
    ANSWER_PREFIX,
    LOCAL_FORMAT,
    BookingForm,
    CancelForm,
    ChangeForm,
    RepeatForm,
    format_local,
)
from booking.ics import booking_ics
from booking.models import Booking, Resource
from booking.permissions import can_cancel_booking, can_change_booking
from booking.queries import unaccepted_policies
from booking.recurrence import InvalidRule
from booking.rules import is_late_cancellation
from booking.services import (
    AttendanceRefused,
    BookingRefused,
    IllegalTransition,
    PolicyUnavailable,
    accept_policy,
    book_series,
    cancel_series,
    change_booking,
    check_in,
    check_out,
    preview_change,
    preview_series,
    request_booking,
)
from booking.services.attendance import check_in_problem
from labitory.clock import facility_zone
from people.models import Project


def _own_booking(request: HttpRequest, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("resource__lab", "project"), pk=pk, user=request.user
    )


def again_url(booking: Booking, now: datetime.datetime) -> str:
    """The booking form filled in for the same weekday and times a week later (or the first
    such week still to come), with the same project and note."""
    zone = facility_zone()
    start = booking.start.astimezone(zone).replace(tzinfo=None)
    end = booking.end.astimezone(zone).replace(tzinfo=None)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    weeks = max(1, (local_now - start).days // 7 + 1)
    while start + datetime.timedelta(weeks=weeks) <= local_now:
        weeks += 1
    shift = datetime.timedelta(weeks=weeks)
    query = {
        "start": (start + shift).strftime(LOCAL_FORMAT),
        "end": (end + shift).strftime(LOCAL_FORMAT),
        "project": booking.project_id,
    }
    if booking.note:
        query["note"] = booking.note
    return f"{reverse('booking:new', args=[booking.resource_id])}?{urlencode(query, safe=':')}"


def attendance_actions(booking: Booking, now: datetime.datetime) -> dict[str, bool]:
    return {
        "can_check_in": check_in_problem(booking, booking.user, now) is None,
        "can_check_out": booking.status == Booking.Status.CHECKED_IN,
    }


# Buttons of the series preview; everything else posted is the booking form, carried on.
SERIES_BUTTONS = ("confirm", "back")
# One box per required policy still to accept, ticked in the booking form.
ACCEPT_FIELD = "accept_policy"
POLICY_PROBLEM = "policy_not_accepted"


def resume_url(resource: Resource, chosen: dict) -> str:
    """The booking form filled in again with what was chosen: where accepting a required
    policy from the form returns, so that the slot, project and note are not lost."""
    query = {name: format_local(chosen[name]) for name in ("start", "end") if chosen.get(name)}
    if project := chosen.get("project"):
        query["project"] = getattr(project, "pk", project)
    if chosen.get("note"):
        query["note"] = chosen["note"]
    url = reverse("booking:new", args=[resource.pk])
    return f"{url}?{urlencode(query, safe=':')}" if query else url


def _form_context(request: HttpRequest, resource: Resource, form, now) -> dict:
    start = form.chosen.get("start")
    context = {
        "resource": resource,
        "form": form,
        "rules": rule_sentences(resource),
        "zone": facility_zone(),
        **standing(resource, request.user, now=now, moment=start),
    }
    context["forecast"] = _forecast(request, resource, form, context["projects"], now)
    context["resume_url"] = resume_url(resource, form.chosen)
    return context


def _forecast(request: HttpRequest, resource: Resource, form, projects, now) -> Forecast | None:
    """Cost, approval, quota and problems of the chosen times and project, once both times
    are known (booking/forecast.py)."""
    values = form.chosen
    project = values.get("project")
    if isinstance(project, int | str) and str(project).isdigit():
        project = next((p for p in projects if p.pk == int(project)), None)
    answers = form.answers() if hasattr(form, "cleaned_data") else None
    return forecast(
        resource,
        request.user,
        project if isinstance(project, Project) else None,
        values.get("start"),
        values.get("end"),
        answers=answers,
        now=now,
        # The form asks for the required policies itself, with a box to tick for each.
        settled_in_form=frozenset({POLICY_PROBLEM}),
    )


@login_required
@require_GET
def estimate_view(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The booking form's forecast (estimate, approval, quota, problems) for the times and
    project in the query (the form's own fields), as the fragment the form shows: the page
    asks again whenever they change."""
    resource = get_object_or_404(Resource, pk=resource_id)
    now = timezone.now()
    today = now.astimezone(facility_zone()).date()
    form = BookingForm(request.GET, user=request.user, resource=resource, today=today)
    form.is_valid()  # the forecast reads whatever parsed; errors are the submit's to show
    projects = list(form.fields["project"].queryset)
    context = {
        "forecast": _forecast(request, resource, form, projects, now),
        "repeat": RepeatForm(request.GET),
    }
    return render(request, "booking/includes/estimate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_booking(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = get_object_or_404(Resource.objects.select_related("lab", "category"), pk=resource_id)
    now = timezone.now()
    today = now.astimezone(facility_zone()).date()
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, user=request.user, resource=resource, today=today)
    repeat = RepeatForm(data)
    if request.method == "POST":
        _accept_ticked_policies(request, resource)
    if request.method == "GET":
        form.initial = form.initial_from(request.GET)
    elif all([form.is_valid(), repeat.is_valid()]) and not repeat.repeats:
        try:
            booking = request_booking(
                user=request.user,
                resource=resource,
                project=form.cleaned_data["project"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                note=form.cleaned_data["note"],
                answers=form.answers(),
            )
        except BookingRefused as refused:
            form.add_problems(refused.problems)
        else:
            if booking.status == Booking.Status.REQUESTED:
                messages.info(request, f"Request {booking.pk} sent. We’ll hold the time for you.")
            else:
                messages.success(request, f"Booked. Your booking reference is {booking.pk}.")
            return redirect("booking:detail", pk=booking.pk)
    elif form.is_valid() and repeat.is_valid() and "back" not in request.POST:
        rule = repeat.rule()
        response = rule and _series(request, resource, form, repeat, rule, now)
        if response:
            return response
    context = _form_context(request, resource, form, now)
    context["repeat"] = repeat
    return render(request, "booking/booking_form.html", context)


def _accept_ticked_policies(request: HttpRequest, resource: Resource) -> None:
    """The required policies the booker accepted in the form itself (a box ticked for each),
    accepted before the booking is judged, so the form need not be left to accept them."""
    ticked = set(request.POST.getlist(ACCEPT_FIELD))
    for policy in unaccepted_policies(resource, request.user):
        if str(policy.pk) not in ticked:
            continue
        try:
            acceptance = accept_policy(user=request.user, policy_page_id=policy.pk)
        except PolicyUnavailable:
            continue  # unpublished meanwhile: the booking rules say it is still missing
        messages.success(request, f"You accepted “{acceptance.policy.title}”.")


def _series(
    request: HttpRequest, resource: Resource, form: BookingForm, repeat: RepeatForm, rule: str, now
) -> HttpResponse | None:
    """Preview a series, or book its free occurrences once the person confirms; None when
    the form must be shown again with the problems found."""
    wanted = {
        "user": request.user,
        "resource": resource,
        "project": form.cleaned_data["project"],
        "start": form.cleaned_data["start"],
        "end": form.cleaned_data["end"],
        "rule": rule,
        "answers": form.answers(),
    }
    try:
        if "confirm" in request.POST:
            series, verdicts = book_series(**wanted, note=form.cleaned_data["note"])
        else:
            verdicts = preview_series(**wanted)
    except InvalidRule as invalid:
        repeat.add_error(None, str(invalid))
        return None
    except BookingRefused as refused:
        form.add_problems(refused.problems)
        return None
    free = sum(occurrence.is_free for occurrence in verdicts)
    if "confirm" in request.POST:
        messages.success(
            request,
            f"Booked {free} of {len(verdicts)} occurrence{'s' if len(verdicts) != 1 else ''} "
            f"on {resource.name}.",
        )
        return redirect("booking:mine")
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", *SERIES_BUTTONS)
        for value in values
    ]
    context = {
        "resource": resource,
        "occurrences": verdicts,
        "free_count": free,
        "refused_count": len(verdicts) - free,
        "approval_count": sum(1 for o in verdicts if o.is_free and o.approval_reasons),
        "described": repeat.describe(),
        "project": form.cleaned_data["project"],
        "note": form.cleaned_data["note"],
        "answered": _answered(form),
        "carried": carried,
        "zone": facility_zone(),
    }
    return render(request, "booking/series_preview.html", context)


def _answered(form: BookingForm) -> list[tuple[str, str]]:
    """The questions and answers as the booker gave them, for the series preview."""
    given = form.answers()
    return [
        (field.field.question.text, given[str(field.field.question.pk)])
        for field in form.question_fields
        if given.get(str(field.field.question.pk))
    ]


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    now = timezone.now()
    context = {
        "booking": booking,
        "crumb": f"Booking {booking.pk}",
        "zone": facility_zone(),
        "can_cancel": can_cancel_booking(booking, now=now),
        "late": is_late_cancellation(booking, now),
        "free_until": booking.start
        - datetime.timedelta(hours=booking.resource.cancellation_cutoff),
        "again_url": again_url(booking, now),
        "can_change": can_change_booking(booking, now=now),
        "estimate": estimate(
            booking.resource, booking.user, booking.project, booking.start, booking.end
        ),
        **attendance_actions(booking, now),
    }
    return render(request, "booking/booking_detail.html", context)


@login_required
@require_GET
def booking_calendar_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One's own booking as an .ics file, to add to a calendar ("Add to calendar")."""
    booking = _own_booking(request, pk)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    now = timezone.now()
    if not can_cancel_booking(booking, now=now):
        messages.error(
            request,
            f"This booking is {booking.get_status_display().lower()}, so it cannot be cancelled.",
        )
        return redirect("booking:detail", pk=booking.pk)
    # My bookings' "cancel the rest" opens this page with the series' later ones chosen.
    form = CancelForm(
        request.POST if request.method == "POST" else None,
        booking=booking,
        initial={"scope": request.GET.get("scope", "one")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = cancel_series(
                booking=booking,
                by=request.user,
                scope=form.cleaned_data["scope"],
                reason=form.cleaned_data["reason"],
            )
        except IllegalTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, cancelled_message(cancelled))
        return redirect("booking:detail", pk=booking.pk)
    context = {
        "booking": booking,
        "crumb": f"Cancel booking {booking.pk}",
        "form": form,
        "zone": facility_zone(),
        "late": is_late_cancellation(booking, now),
    }
    return render(request, "booking/booking_cancel.html", context)


def cancelled_message(cancelled: list[Booking]) -> str:
    late = sum(booking.late_cancellation for booking in cancelled)
    if len(cancelled) == 1:
        note = " It counts as a late cancellation." if late else ""
        return f"Your booking is cancelled.{note}"
    note = f" {late} of them count as late cancellations." if late else ""
    return f"{len(cancelled)} bookings of the series are cancelled.{note}"


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, pk: int) -> HttpResponse:
    """The change form. A change that would need approval is shown with its reasons first,
    and saved only once the booker confirms it (the `confirm_approval` button)."""
    booking = _own_booking(request, pk)
    now = timezone.now()
    if not can_change_booking(booking, now=now):
        messages.error(
            request,
            f"This booking is {booking.get_status_display().lower()}"
            f"{' and has started' if booking.start <= now else ''}, so it cannot be changed.",
        )
        return redirect("booking:detail", pk=booking.pk)
    today = now.astimezone(facility_zone()).date()
    data = request.POST if request.method == "POST" else None
    form = ChangeForm(data, booking=booking, today=today)
    approval_reasons = ()
    if request.method == "GET":
        zone = facility_zone()
        form.initial = {
            "start": booking.start.astimezone(zone),
            "end": booking.end.astimezone(zone),
            "project": booking.project_id,
            **{f"{ANSWER_PREFIX}{key}": value for key, value in stored_answers(booking).items()},
        }
    elif form.is_valid():
        try:
            approval_reasons = _approval_to_ask(request, booking, form)
            if approval_reasons is None:
                return _save_change(request, booking, form)
        except BookingRefused as refused:
            form.add_problems(refused.problems)
        except IllegalTransition as error:
            messages.error(request, str(error))
            return redirect("booking:detail", pk=booking.pk)
    context = {
        "booking": booking,
        "crumb": f"Change booking {booking.pk}",
        "approval_reasons": approval_reasons,
        **_form_context(request, booking.resource, form, now),
    }
    return render(request, "booking/booking_change.html", context)


def _wanted_change(booking: Booking, form: ChangeForm) -> dict:
    return {
        "booking": booking,
        "start": form.cleaned_data["start"],
        "end": form.cleaned_data["end"],
        "project": form.cleaned_data["project"],
        "user": form.cleaned_data["hand_to"],
        "answers": form.answers(),
    }


def _approval_to_ask(request: HttpRequest, booking: Booking, form: ChangeForm) -> tuple | None:
    """Why the change would need approval, when the booker has not yet confirmed that they
    want it anyway; None when it can be saved now. BookingRefused for a change the rules
    refuse."""
    if "confirm_approval" in request.POST:
        return None
    judged = preview_change(**_wanted_change(booking, form))
    if not judged.ok:
        raise BookingRefused(list(judged.problems))
    return judged.approval_reasons or None


def _save_change(request: HttpRequest, booking: Booking, form: ChangeForm) -> HttpResponse:
    changed = change_booking(**_wanted_change(booking, form), by=request.user)
    waits = (
        " It is waiting for approval: the time is held while an approver decides."
        if changed.status == Booking.Status.REQUESTED
        else ""
    )
    colleague = form.cleaned_data["hand_to"]
    if colleague is not None:
        messages.success(request, f"Booking {changed.pk} now belongs to {colleague.email}.{waits}")
        return redirect("booking:mine")
    messages.success(request, f"Your booking is changed.{waits}")
    return redirect("booking:detail", pk=changed.pk)


def _attend(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    booking = _own_booking(request, pk)
    try:
        action(booking=booking, by=request.user)
    except AttendanceRefused as refused:
        for problem in refused.problems:
            messages.error(request, problem.message)
    except IllegalTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("booking:detail", pk=booking.pk)


@login_required
@require_POST
def check_in_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _attend(request, pk, check_in, "You’re checked in. Check out when you finish.")


@login_required
@require_POST
def check_out_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _attend(request, pk, check_out, "You’re checked out. Thank you.")


@login_required
@require_POST
def accept_policy_view(request: HttpRequest, page_id: int) -> HttpResponse:
    try:
        acceptance = accept_policy(user=request.user, policy_page_id=page_id)
    except PolicyUnavailable as error:
        raise Http404("No such policy.") from error
    messages.success(request, f"You accepted “{acceptance.policy.title}”.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = acceptance.policy.url or reverse("booking:mine")
    return redirect(target)
