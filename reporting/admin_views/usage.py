"""Usage records in the admin: filters, and CSV/XLSX export of exactly what is filtered.

Numbers are exported as numbers (amounts add up in a spreadsheet); text goes through the
site's formula guard (labitory.spreadsheets), like every other export.
"""

import django_filters
from django.http import HttpResponse
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.generic import IndexView

from booking.models import Resource
from labitory.spreadsheets import protected_dataset
from people.models import Department, Project

from ..models import BillingPeriod, UsageRecord
from ..resources import UsageRecordResource

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UsageRecordFilterSet(WagtailFilterSet):
    period = django_filters.ModelChoiceFilter(queryset=BillingPeriod.objects.all())
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all())
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all())
    resource = django_filters.ModelChoiceFilter(queryset=Resource.objects.all(), label="Instrument")
    kind = django_filters.ChoiceFilter(choices=UsageRecord.Kind.choices)
    priced = django_filters.BooleanFilter(
        field_name="amount", lookup_expr="isnull", exclude=True, label="Priced"
    )
    start = django_filters.DateFromToRangeFilter(label="Date", widget=DateRangePickerWidget)

    class Meta:
        model = UsageRecord
        fields = ["period", "project", "department", "resource", "kind", "priced", "start"]


class UsageRecordIndexView(IndexView):
    """The listing; its export buttons hand the filtered queryset to import-export."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        dataset = UsageRecordResource().export(
            queryset=queryset.select_related(
                "period", "resource", "user", "project", "department"
            ).prefetch_related("booking__answers"),
            force_native_type=True,
        )
        body = protected_dataset(dataset).export(spreadsheet_format)
        if isinstance(body, str):
            body = body.encode("utf-8")
        response = HttpResponse(body, content_type=CONTENT_TYPES[spreadsheet_format])
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.{spreadsheet_format}"'
        )
        return response
