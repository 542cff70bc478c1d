"""Projects and departments as the API shows them."""

from rest_framework import serializers

from labitory.api.serializers import ReadOnlySerializer
from people.models import Department, Project


class DepartmentSerializer(ReadOnlySerializer):
    """A department: statements are grouped by it."""

    class Meta:
        model = Department
        fields = ["id", "code", "name"]


class ProjectSerializer(ReadOnlySerializer):
    """A project (cost centre) you may charge bookings to, as its PI or a member."""

    pi = serializers.CharField(source="pi.name", read_only=True, help_text="The PI's name.")
    department = DepartmentSerializer(read_only=True)
    role = serializers.SerializerMethodField(help_text="`pi` if you lead it, else `member`.")

    class Meta:
        model = Project
        fields = ["id", "code", "name", "pi", "department", "active_from", "active_to", "role"]

    def get_role(self, project: Project) -> str:
        user = self.context["request"].user
        return "pi" if project.pi_id == user.pk else "member"
