"""Who may see which projects in the admin.

Projects name their PI and members, so the admin does not list them to every staff member:

- whoever holds a project permission from their role (finance staff, site admins) sees and
  manages every project;
- anyone else (lab coordinators, approvers, researchers) sees only the projects they lead
  or belong to, and changes none. A coordinator reads the projects charged in their lab
  from the lab's bookings; the project chooser is not the place to browse the others.
"""

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Project, User


def is_active_user(user: User) -> bool:
    return user.is_authenticated and user.is_active


class ProjectPermissionPolicy(ModelPermissionPolicy):
    """The role's project permissions, plus "view" on one's own projects."""

    def instances_user_has_any_permission_for(self, user: User, actions: Iterable[str]) -> QuerySet:
        actions = list(actions)
        if self.user_has_any_permission(user, actions):
            return Project.objects.all()
        if "view" in actions and is_active_user(user):
            return Project.objects.for_member(user)
        return Project.objects.none()

    def user_has_any_permission_for_instance(
        self, user: User, actions: Iterable[str], instance: Project
    ) -> bool:
        actions = list(actions)
        if self.user_has_any_permission(user, actions):
            return True
        return "view" in actions and is_active_user(user) and instance.has_member(user)

    def user_has_permission_for_instance(self, user: User, action: str, instance: Project) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)
