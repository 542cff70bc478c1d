"""Statements in the admin: the list with live status and progress, re-run, and JSON status.

The page polls `status/` every two seconds while any statement is queued or rendering and
updates the rows in place, so finance staff watch a render without reloading.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from labitory.money import money

from ..models import BillingPeriod, Statement
from ..permissions import can_close_period, is_finance
from ..services.statements import queue_statement


def require_finance(request: HttpRequest) -> None:
    if not is_finance(request.user):
        raise PermissionDenied


def status_of(statement: Statement) -> dict:
    return {
        "id": statement.pk,
        "status": statement.status,
        "label": statement.get_status_display(),
        "progress": statement.progress,
        "error": statement.error,
        "total": None if statement.total is None else money(statement.total),
        "pages": statement.pages,
        "lines": statement.line_count,
        "sha256": statement.sha256,
        "final": statement.period_was_closed,
        "download_url": reverse("reporting:download", args=[statement.pk])
        if statement.status == Statement.Status.READY
        else "",
    }


class StatementIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/admin/statements.html"
    page_title = "Statements"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        require_finance(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Statements"}]

    def selected_period(self) -> BillingPeriod | None:
        periods = BillingPeriod.objects.all()
        wanted = self.request.GET.get("period", "")
        if wanted.isdigit():
            return periods.filter(pk=int(wanted)).first()
        with_statements = periods.filter(statements__isnull=False).distinct()
        return with_statements.first() or periods.first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.selected_period()
        statements = (
            Statement.objects.filter(period=period)
            .select_related("project__pi", "department")
            .order_by("department__name", "project__code")
        )
        context.update(
            period=period,
            periods=BillingPeriod.objects.all()[:36],
            statements=[(s, status_of(s)) for s in statements],
            status_url=reverse("reporting_statement_status"),
            can_render=self.request.user.has_perm("reporting.change_statement"),
            can_close=period is not None
            and can_close_period(self.request.user, period, now=timezone.now()),
        )
        return context


@require_GET
def statement_status(request: HttpRequest) -> JsonResponse:
    """JSON status of the statements named in ?ids=1,2,3 (finance staff only)."""
    require_finance(request)
    ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.isdigit()][:500]
    statements = Statement.objects.filter(pk__in=ids)
    return JsonResponse({"statements": [status_of(s) for s in statements]})


@require_POST
def rerun_statement(request: HttpRequest, pk: int):
    if not request.user.has_perm("reporting.change_statement"):
        raise PermissionDenied
    statement = get_object_or_404(Statement.objects.select_related("period"), pk=pk)
    queue_statement(statement, by=request.user)
    messages.success(request, f"{statement} queued for rendering again.")
    return redirect(reverse("reporting_statements") + f"?period={statement.period_id}")
