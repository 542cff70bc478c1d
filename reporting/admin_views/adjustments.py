"""Adding an adjustment line in the admin, through the service (never a plain model save)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from booking.models import Resource
from labitory.money import money
from people.models import Project

from ..problems import AdjustmentRefused
from ..services import add_adjustment


class AdjustmentForm(forms.Form):
    project = forms.ModelChoiceField(queryset=Project.objects.order_by("code"))
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.all(), required=False, label="Instrument (optional)"
    )
    amount = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text="In pounds. Negative refunds (e.g. -42.50), positive charges more.",
    )
    reason = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the statement.",
    )


class AdjustmentCreateView(WagtailAdminTemplateMixin, FormView):
    """The correction goes into the current open period; the original lines stay untouched."""

    template_name = "reporting/admin/adjustment_form.html"
    form_class = AdjustmentForm
    page_title = "Add adjustment"
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("reporting.add_adjustment"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("reporting_adjustment:index"), "label": "Adjustments"},
            {"url": "", "label": "Add adjustment"},
        ]

    def form_valid(self, form):
        try:
            adjustment = add_adjustment(by=self.request.user, **form.cleaned_data)
        except AdjustmentRefused as refused:
            for problem in refused.problems:
                form.add_error(problem.field, problem.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Adjustment of {money(adjustment.amount)} to {adjustment.project.code} added to "
            f"{adjustment.period.label}.",
        )
        return redirect(reverse("reporting_adjustment:index"))
