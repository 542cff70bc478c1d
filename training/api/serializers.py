"""Training as the API shows it: your qualifications and your requests for training."""

from rest_framework import serializers

from booking.models import Qualification
from labitory.api.fields import IdField
from labitory.api.serializers import ReadOnlySerializer

from ..models import TrainingRequest
from ..services import NOTE_MAX


class QualificationSerializer(ReadOnlySerializer):
    """What you are trained on: the level, and until when (`expires_on` null: no expiry)."""

    resource_name = serializers.CharField(source="resource.name", read_only=True)
    level = serializers.SerializerMethodField(help_text="`unsupervised` or `supervised`.")

    class Meta:
        model = Qualification
        fields = ["id", "resource", "resource_name", "level", "expires_on"]

    def get_level(self, qualification: Qualification) -> str:
        return "unsupervised" if qualification.unsupervised else "supervised"


class TrainingRequestSerializer(ReadOnlySerializer):
    """A request for training: waiting for a session, in one, signed off or withdrawn."""

    resource_name = serializers.CharField(source="resource.name", read_only=True)
    session_starts_at = serializers.DateTimeField(
        source="session.starts_at", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = TrainingRequest
        fields = [
            "id", "resource", "resource_name", "note", "status", "created_at", "session",
            "session_starts_at",
        ]  # fmt: skip


class NewTrainingRequestSerializer(serializers.Serializer):
    resource = IdField(help_text="The id of the instrument that needs training.")
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, default="",
        help_text="Your experience with similar instruments; the trainers read it.",
    )  # fmt: skip
