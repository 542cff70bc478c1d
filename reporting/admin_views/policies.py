"""Permission policies for money records that the generic admin views must not change."""

from wagtail.permission_policies import ModelPermissionPolicy

WRITES = {"add", "change", "delete"}


class LimitedPermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, except actions that only a service may perform.

    Usage records, periods and statements change only through reporting.services, so the
    generic add, edit and delete screens stay closed even to site admins, who hold every
    model permission.
    """

    def __init__(self, model, refused=WRITES, **kwargs):
        super().__init__(model, **kwargs)
        self.refused = set(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        allowed = [action for action in actions if action not in self.refused]
        return bool(allowed) and super().user_has_any_permission(user, allowed)
