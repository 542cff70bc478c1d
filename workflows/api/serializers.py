"""What the approvals API reads and writes."""

from rest_framework import serializers

from booking.models import Booking
from labitory.api.fields import AwareDateTimeField
from workflows.models import ApprovalRequest, ApprovalTask


class ApprovalBookingSerializer(serializers.ModelSerializer):
    """The booking to decide on, with who asked for it and who pays."""

    resource_name = serializers.CharField(source="resource.name", read_only=True)
    lab = serializers.CharField(source="resource.lab.slug", read_only=True)
    booker = serializers.CharField(source="user.name", read_only=True)
    booker_email = serializers.EmailField(source="user.email", read_only=True)
    project_code = serializers.CharField(source="project.code", read_only=True, allow_null=True)
    start = AwareDateTimeField(read_only=True)
    end = AwareDateTimeField(read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "resource",
            "resource_name",
            "lab",
            "booker",
            "booker_email",
            "project_code",
            "start",
            "end",
            "status",
            "note",
        ]
        read_only_fields = fields


class ApprovalRequestSerializer(serializers.ModelSerializer):
    """The request as a whole: why it needs approval and where its chain stands."""

    step_count = serializers.IntegerField(read_only=True)
    step_label = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ApprovalRequest
        fields = ["id", "status", "rule_name", "reasons", "step", "step_count", "step_label"]
        read_only_fields = fields

    def get_step_label(self, request: ApprovalRequest) -> str:
        return request.current_step.get("label", "")


class ApprovalTaskSerializer(serializers.ModelSerializer):
    """One step of a request, given to you to decide."""

    request = ApprovalRequestSerializer(read_only=True)
    booking = ApprovalBookingSerializer(source="request.booking", read_only=True)
    on_behalf_of = serializers.CharField(
        source="on_behalf_of.name",
        read_only=True,
        allow_null=True,
        help_text="Whom you stand in for, when the task came to you by delegation.",
    )
    decided_at = AwareDateTimeField(read_only=True, allow_null=True)
    created_at = AwareDateTimeField(read_only=True)

    class Meta:
        model = ApprovalTask
        fields = [
            "id",
            "step",
            "decision",
            "decided_at",
            "comment",
            "on_behalf_of",
            "added_by_escalation",
            "created_at",
            "request",
            "booking",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    """Your comment, sent to the booker. Rejecting needs one (`comment_required`)."""

    comment = serializers.CharField(max_length=2000, allow_blank=True, default="")
