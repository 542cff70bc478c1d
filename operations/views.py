"""Problem reports on the site: report one from an instrument, follow your own.

Each view parses input and calls one service. A report is shown to its reporter and to the
lab's staff only; to anyone else it does not exist (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from booking.models import Resource
from labitory.private_files import file_response

from .forms import ReportForm
from .models import ProblemReport
from .permissions import can_see_report, can_triage_report
from .services import ReportRefused, report_problem


def _visible_report(request: HttpRequest, pk: int) -> ProblemReport:
    report = get_object_or_404(
        ProblemReport.objects.select_related("resource__lab", "reporter", "assignee"), pk=pk
    )
    if not can_see_report(request.user, report):
        raise Http404("No such report.")
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = Resource.objects.select_related("lab").filter(pk=resource_id).first()
    if resource is None or not resource.is_active:
        raise Http404("No such instrument.")
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = report_problem(
                resource=resource,
                by=request.user,
                summary=data["summary"],
                severity=data["severity"],
                details=data["details"],
                attachment=data["attachment"],
            )
        except ReportRefused as refused:
            form.add_problems(refused.problems)
        else:
            messages.success(request, "Thank you: the lab has been told. Follow it here.")
            return redirect("operations:detail", made.pk)
    return render(request, "operations/report_form.html", {"resource": resource, "form": form})


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    reports = ProblemReport.objects.filter(reporter=request.user).select_related("resource")
    return render(request, "operations/my_reports.html", {"reports": reports})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    context = {
        "report": report,
        "comments": report.comments.select_related("author"),
        "is_staff": can_triage_report(request.user, report),
    }
    return render(request, "operations/report_detail.html", context)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible_report(request, pk)
    if not report.attachment:
        raise Http404("This report has no attachment.")
    return file_response(
        report.attachment,
        filename=report.attachment_name or report.attachment.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )
