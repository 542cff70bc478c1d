"""Utilisation analytics in the admin: charts to look at, with the numbers beside them."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from labitory.clock import facility_zone

from .. import analytics
from ..permissions import is_finance
from ..rendering.chart import bar_chart, column_chart
from ..services.periods import month_bounds


class MonthForm(forms.Form):
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="The month to analyse.",
    )


class AnalyticsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/admin/analytics.html"
    page_title = "Utilisation"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not is_finance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": "Utilisation"}]

    def chosen_month(self, form: MonthForm) -> datetime.date:
        today = timezone.now().astimezone(facility_zone()).date()
        if form.is_valid() and form.cleaned_data["month"]:
            return form.cleaned_data["month"]
        return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MonthForm(self.request.GET or None)
        first, last = month_bounds(self.chosen_month(form))
        rows = analytics.utilisation(first, last)
        departments = analytics.hours_by("department__name", "Department", first, last)
        projects = analytics.hours_by("project__code", "Project", first, last)
        trend = analytics.monthly_trend(first)
        context.update(
            # The picker shows the month on screen, whether chosen or the default.
            form=MonthForm(initial={"month": first}),
            first=first,
            last=last,
            utilisation=rows,
            departments=departments,
            projects=projects,
            trend=trend,
            utilisation_chart=mark_safe(
                bar_chart(
                    [(row.resource, row.percent or 0) for row in rows],
                    unit="%",
                    title=f"Utilisation per instrument, {first:%B %Y}",
                )
            ),
            department_chart=mark_safe(
                bar_chart(
                    [(row["label"], row["hours"]) for row in departments],
                    title=f"Billed hours by department, {first:%B %Y}",
                )
            ),
            trend_chart=mark_safe(
                column_chart(
                    [(f"{row['month']:%b %y}", row["hours"]) for row in trend],
                    title="Billed hours per month, last 12 months",
                    width=720,
                )
            ),
        )
        return context
