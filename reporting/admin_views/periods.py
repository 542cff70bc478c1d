"""Billing periods in the admin: close a month (through the service), render its statements."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import ListingButton

from ..models import BillingPeriod
from ..permissions import can_close_period, can_close_periods, why_not_closable
from ..problems import PeriodRefused
from ..services import close_period, request_statements


def with_figures(periods):
    return periods.annotate(
        line_count=Count("usage_records"),
        unpriced_count=Count("usage_records", filter=Q(usage_records__amount__isnull=True)),
        usage_total=Sum("usage_records__amount"),
    )


class BillingPeriodIndexView(IndexView):
    def get_base_queryset(self):
        return with_figures(super().get_base_queryset())

    def get_list_buttons(self, instance):
        buttons = list(super().get_list_buttons(instance))
        if can_close_periods(self.request.user):
            if can_close_period(self.request.user, instance, now=timezone.now()):
                buttons.append(
                    ListingButton(
                        "Close period…",
                        url=reverse("reporting_close_period", args=[instance.pk]),
                        icon_name="lock",
                        priority=10,
                    )
                )
            buttons.append(
                ListingButton(
                    "Statements",
                    url=reverse("reporting_statements") + f"?period={instance.pk}",
                    icon_name="doc-full",
                    priority=20,
                )
            )
        return buttons


class ClosePeriodView(WagtailAdminTemplateMixin, TemplateView):
    """Show what closing means and what the month holds; close on POST, or list why not."""

    template_name = "reporting/admin/close_period.html"
    page_title = "Close billing period"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_close_periods(request.user):
            raise PermissionDenied
        self.period = get_object_or_404(with_figures(BillingPeriod.objects.all()), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.period.label

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("reporting_billing_period:index"), "label": "Billing periods"},
            {"url": "", "label": f"Close {self.period.label}"},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = self.period
        context["total"] = self.period.usage_total or Decimal("0.00")
        # Said before anyone presses the button: a month in progress cannot be closed yet.
        early = why_not_closable(self.period, now=timezone.now()) if self.period.is_open else None
        context["problems"] = kwargs.get("problems") or ([early] if early else [])
        context["closable_now"] = early is None
        return context

    def post(self, request, *args, **kwargs):
        try:
            close_period(period=self.period, by=request.user)
        except PeriodRefused as refused:
            return self.render_to_response(self.get_context_data(problems=refused.problems))
        messages.success(
            request, f"{self.period.label} is closed. Its statements are being rendered."
        )
        return redirect(reverse("reporting_statements") + f"?period={self.period.pk}")


def render_period_statements(request, pk: int):
    """POST: (re-)queue every statement of a period."""
    if request.method != "POST" or not request.user.has_perm("reporting.change_statement"):
        raise PermissionDenied
    period = get_object_or_404(BillingPeriod, pk=pk)
    queued = request_statements(period=period, by=request.user)
    messages.success(request, f"{len(queued)} statements of {period.label} queued for rendering.")
    return redirect(reverse("reporting_statements") + f"?period={period.pk}")
