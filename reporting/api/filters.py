"""Query-string filters of the usage and statement lists."""

import datetime

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from labitory.api.filters import AwareDateTimeFilter, FilterSet, IdFilter
from reporting.models import Statement, UsageRecord

PERIOD_HELP = "Only the billing period of this month, as YYYY-MM (e.g. 2026-10)."
# A month of the years 1900–2999, the years every API time lies in.
PERIOD_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$"


@extend_schema_field({"type": "string", "pattern": PERIOD_PATTERN})
class PeriodFilter(django_filters.Filter):
    """A billing period by its code, YYYY-MM."""

    field_class = forms.RegexField

    def __init__(self, **kwargs):
        super().__init__(
            regex=PERIOD_PATTERN,
            error_messages={"invalid": "Name the period as YYYY-MM, e.g. 2026-10."},
            field_name="period__starts_on",
            help_text=PERIOD_HELP,
            **kwargs,
        )

    def filter(self, queryset, value: str):
        if not value:
            return queryset
        year, month = (int(part) for part in value.split("-"))
        return queryset.filter(period__starts_on=datetime.date(year, month, 1))


class UsageFilter(FilterSet):
    period = PeriodFilter()
    project = IdFilter(field_name="project_id", help_text="Only usage charged to this project.")
    resource = IdFilter(field_name="resource_id", help_text="Only usage of this resource.")
    kind = django_filters.ChoiceFilter(choices=UsageRecord.Kind.choices)
    start_after = AwareDateTimeFilter(
        field_name="start",
        lookup_expr="gte",
        help_text="Only usage starting at or after this time (ISO 8601 with offset).",
    )
    start_before = AwareDateTimeFilter(
        field_name="start",
        lookup_expr="lt",
        help_text="Only usage starting before this time (ISO 8601 with offset).",
    )

    class Meta:
        model = UsageRecord
        fields = ["period", "project", "resource", "kind", "start_after", "start_before"]


class StatementFilter(FilterSet):
    period = PeriodFilter()
    project = IdFilter(field_name="project_id", help_text="Only this project's statements.")
    status = django_filters.ChoiceFilter(choices=Statement.Status.choices)

    class Meta:
        model = Statement
        fields = ["period", "project", "status"]
