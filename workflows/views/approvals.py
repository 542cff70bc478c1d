"""Approvers' screens on the site: my open requests (with bulk approve), one request to
decide, and the emailed link that leads to it. Anyone can be an approver (a PI, a
supervisor), so these do not need the admin; staff get the same screens in the admin.

Every lookup is by (task, approver): another approver's task is a 404.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .. import approvals, queries
from ..forms import BulkApproveForm, DecisionForm
from ..links import BadLink, task_for_link
from ..models import ApprovalTask
from ..permissions import can_decide


def own_task(request: HttpRequest, task_id: int) -> ApprovalTask:
    return get_object_or_404(
        ApprovalTask.objects.select_related(
            "request__booking__resource__lab",
            "request__booking__user",
            "request__booking__project",
            "request__rule",
            "on_behalf_of",
        ),
        pk=task_id,
        approver=request.user,
    )


# Each screen exists on the site and in the admin: the same handler, a different page.
Page = Callable[[dict, int], HttpResponse]


def handle_queue(request: HttpRequest, *, page: Page, decide_url: str) -> HttpResponse:
    """The open requests of the signed-in approver; POST approves the ticked ones."""
    open_tasks = queries.open_tasks(request.user)
    form = BulkApproveForm(request.POST or None, open_tasks=open_tasks)
    if request.method == "POST" and form.is_valid():
        done, refused = approvals.approve_many(list(form.cleaned_data["tasks"]), by=request.user)
        if done:
            messages.success(
                request, f"Approved {len(done)} request{'s' if len(done) != 1 else ''}."
            )
        for task, refusal in refused:
            messages.error(request, f"{task.request.booking}: {refusal.message}")
        return redirect(request.path)
    context = {"tasks": open_tasks, "form": form, "decide_url": decide_url}
    return page(context, 400 if form.errors else 200)


def handle_decision(
    request: HttpRequest, task_id: int, *, page: Page, queue_url: str
) -> HttpResponse:
    """One request: what, who, why, the chain so far; POST approves or rejects this step."""
    task = own_task(request, task_id)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decided = approvals.decide(
                    task,
                    by=request.user,
                    approve=form.approve,
                    comment=form.cleaned_data["comment"],
                )
            except approvals.ApprovalRefused as refusal:
                messages.error(request, refusal.message)
                return redirect(request.path)
            messages.success(request, queries.decision_outcome(task, decided))
            return redirect(queue_url)
        status = 400
    context = {
        "task": task,
        "may_decide": can_decide(request.user, task),
        "approval": task.request,
        "booking": task.request.booking,
        "history": queries.history(task.request),
        "form": form,
        "queue_url": queue_url,
    }
    return page(context, status)


def site_page(request: HttpRequest, template: str) -> Page:
    return lambda context, status: render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    return handle_queue(
        request, page=site_page(request, "workflows/queue.html"), decide_url="workflows:decide"
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, task_id: int) -> HttpResponse:
    return handle_decision(
        request,
        task_id,
        page=site_page(request, "workflows/decide.html"),
        queue_url=reverse("workflows:queue"),
    )


@login_required
def link(request: HttpRequest, token: str) -> HttpResponse:
    """An emailed decision link: checked, then on to the decision page."""
    try:
        task = task_for_link(token, request.user)
    except BadLink as refusal:
        return render(
            request, "workflows/link_refused.html", {"refusal": refusal}, status=refusal.status
        )
    return redirect("workflows:decide", task_id=task.pk)
