"""Training on the site: ask for it from an instrument, pick a session, follow your own;
trainers and coordinators schedule sessions, record attendance and sign off, and see each
lab's overview with its export. Each view parses input and calls one service; what the user
may not see does not exist for them (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from booking.models import Booking, Lab, Resource
from labitory.refusals import Refused
from labitory.spreadsheets import protected_dataset
from people.models import Project, User

from . import queries
from .forms import RecordForm, RequestForm, SessionForm
from .models import TrainingRequest, TrainingSession
from .permissions import can_see_lab_training, can_see_session, can_train, waiting_request
from .policy import how_to_renew, policy_of
from .services import (
    TrainingRefused,
    cancel_session,
    join_session,
    record_training,
    request_training,
    schedule_session,
    withdraw_request,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lab_for(request: HttpRequest, lab_id: int) -> Lab:
    lab = get_object_or_404(Lab, pk=lab_id)
    if not can_see_lab_training(request.user, lab):
        raise Http404("No such lab.")
    return lab


def _session_for(request: HttpRequest, pk: int) -> TrainingSession:
    session = get_object_or_404(
        TrainingSession.objects.select_related("resource__lab", "trainer", "hold"), pk=pk
    )
    if not can_see_session(request.user, session):
        raise Http404("No such session.")
    return session


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    qualifications = list(queries.my_qualifications(request.user))
    for qualification in qualifications:
        qualification.renewal = how_to_renew(policy_of(qualification.resource))
    context = {
        "qualifications": qualifications,
        "requests": queries.my_requests(request.user),
        "sessions": queries.my_sessions(request.user, now),
        "joinable": queries.joinable_sessions(request.user, now),
        "history": queries.history_of(request.user)[:20],
        "today": timezone.localdate(),
        "trains": _labs_trained(request.user),
    }
    return render(request, "training/mine.html", context)


def _labs_trained(user: User) -> list[Lab]:
    return [lab for lab in Lab.objects.all() if can_train(user, lab)]


@login_required
@require_http_methods(["GET", "POST"])
def request_view(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = Resource.objects.select_related("lab").filter(pk=resource_id).first()
    if resource is None or not resource.is_active or not resource.requires_qualification:
        raise Http404("No such instrument needing training.")
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_training(resource=resource, by=request.user, note=form.cleaned_data["note"])
        except TrainingRefused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(request, f"Asked: {resource.lab}'s trainers have been told.")
            return redirect("training:mine")
    context = {
        "resource": resource,
        "form": form,
        "policy": policy_of(resource),
        "renewal": how_to_renew(policy_of(resource)),
        "waiting": waiting_request(request.user, resource),
    }
    return render(request, "training/request_form.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    asked = get_object_or_404(TrainingRequest, pk=pk, requester=request.user)
    try:
        withdraw_request(request=asked, by=request.user)
    except TrainingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Your request is withdrawn.")
    return redirect("training:mine")


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    try:
        join_session(session=session, by=request.user)
    except TrainingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "You have a place: the calendar file is on its way by e-mail.")
    return redirect("training:mine")


@login_required
@require_GET
def lab(request: HttpRequest, lab_id: int) -> HttpResponse:
    found = _lab_for(request, lab_id)
    return render(
        request, "training/lab.html", {"training": queries.lab_training(found, timezone.now())}
    )


@login_required
@require_GET
def export(request: HttpRequest, lab_id: int, fmt: str) -> HttpResponse:
    found = _lab_for(request, lab_id)
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format.")
    body = protected_dataset(queries.qualifications_dataset(found)).export(fmt)
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="training-{found.slug}.{fmt}"'
    return response


def _session_form(request: HttpRequest, found: Lab) -> SessionForm:
    trainers = User.objects.filter(
        Q(groups__trains_lab__lab=found) | Q(groups__coordinated_lab=found) | Q(pk=request.user.pk),
        is_active=True,
    ).distinct()
    initial = {"trainer": request.user, "resource": request.GET.get("resource")}
    return SessionForm(
        request.POST or None,
        initial=initial,
        resources=Resource.objects.filter(lab=found, requires_qualification=True, is_active=True),
        trainers=trainers,
        projects=Project.objects.active_on(timezone.localdate()),
        waiting=TrainingRequest.objects.filter(
            resource__lab=found, status=TrainingRequest.Status.PENDING
        ).select_related("requester", "resource"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, lab_id: int) -> HttpResponse:
    found = _lab_for(request, lab_id)
    form = _session_form(request, found)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.times()
        try:
            session = schedule_session(
                resource=data["resource"], by=request.user, trainer=data["trainer"],
                project=data["project"], starts_at=starts_at, ends_at=ends_at,
                capacity=data["capacity"], kind=data["kind"], invite=list(data["invite"]),
                open_to_requesters=data["open_to_requesters"], note=data["note"],
            )  # fmt: skip
        except Refused as refused:  # the session's own refusals and its hold's (slot_taken)
            form.add_problems(refused.problems)
        else:
            messages.success(request, "Session scheduled; invited people have been told.")
            return redirect("training:session", session.pk)
    return render(request, "training/schedule.html", {"lab": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def session_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    trainer = can_train(request.user, session.resource.lab)
    attendances = list(session.attendances.select_related("user"))
    form = RecordForm(request.POST or None, attendances=attendances) if trainer else None
    if request.method == "POST":
        if form is None:
            raise Http404("No such session.")
        if form.is_valid():
            try:
                record_training(session=session, by=request.user, outcomes=form.outcomes())
            except TrainingRefused as refused:
                form.add_problems(refused.problems)
            else:
                messages.success(request, "Attendance and sign-offs recorded.")
                return redirect("training:session", session.pk)
    context = {
        "session": session,
        "attendances": attendances,
        "form": form,
        "is_trainer": trainer,
        "started": session.starts_at <= timezone.now(),
        "hold_busy": session.hold.status in Booking.HOLDING,
    }
    return render(request, "training/session.html", context)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_for(request, pk)
    if not can_train(request.user, session.resource.lab):
        raise Http404("No such session.")
    try:
        cancel_session(session=session, by=request.user, reason=request.POST.get("reason", ""))
    except TrainingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "Session cancelled; its time is free and attendees are told.")
    return redirect("training:session", session.pk)
