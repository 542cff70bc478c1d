"""What the money endpoints show. Amounts are decimal strings in the facility's currency;
an unpriced line has no rate and no amount."""

from django.urls import reverse
from rest_framework import serializers

from labitory.api.fields import AwareDateTimeField
from reporting.models import Statement, UsageRecord


class UsageRecordSerializer(serializers.ModelSerializer):
    """One charge line: a completed booking, a no-show or a late cancellation."""

    period = serializers.CharField(source="period.code", read_only=True, help_text="YYYY-MM.")
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    user_name = serializers.CharField(source="user.name", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True)
    priced = serializers.BooleanField(source="is_priced", read_only=True)
    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)

    class Meta:
        model = UsageRecord
        fields = [
            "id",
            "booking",
            "kind",
            "period",
            "resource",
            "resource_name",
            "user_name",
            "user_category",
            "project",
            "project_code",
            "start",
            "end",
            "billed_minutes",
            "hours",
            "hourly_rate",
            "amount",
            "priced",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    """A usage statement of one period for one project or department, and where to get it."""

    period = serializers.CharField(source="period.code", read_only=True, help_text="YYYY-MM.")
    period_label = serializers.CharField(source="period.label", read_only=True)
    subject = serializers.CharField(source="subject_label", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True, allow_null=True)
    department_code = serializers.CharField(
        source="department.code", read_only=True, allow_null=True
    )
    final = serializers.BooleanField(
        source="period_was_closed",
        read_only=True,
        help_text="Rendered after its period closed; otherwise provisional.",
    )
    requested_at = AwareDateTimeField(read_only=True)
    rendered_at = AwareDateTimeField(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(
        help_text="The PDF, once ready (statements/{id}/download/: session or API token)."
    )

    class Meta:
        model = Statement
        fields = [
            "id",
            "period",
            "period_label",
            "subject",
            "project",
            "project_code",
            "department_code",
            "status",
            "progress",
            "final",
            "pages",
            "line_count",
            "total",
            "sha256",
            "requested_at",
            "rendered_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, statement: Statement) -> str | None:
        if statement.status != Statement.Status.READY or not statement.file:
            return None
        path = reverse("api:statement-download", args=[statement.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
