"""Who may see and edit delegations: your own, or everyone's for site admins."""

from collections.abc import Iterable

from django.db.models import QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from booking.permissions import is_facility_wide


class OwnDelegationsPolicy(ModelPermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions: Iterable[str]) -> QuerySet:
        manager = self.model._default_manager
        if not self.user_has_any_permission(user, actions):
            return manager.none()
        return manager.all() if is_facility_wide(user) else manager.filter(delegator=user)

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if not self.user_has_any_permission(user, actions):
            return False
        return is_facility_wide(user) or instance.delegator_id == user.pk

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.user_has_any_permission_for_instance(user, [action], instance)
