from django.apps import AppConfig
from django.db.models.signals import post_migrate
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = "People and projects"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the audit receivers)
        from .roles import sync_role_groups

        # After migrate and after a test flush: groups exist and hold their permissions.
        post_migrate.connect(sync_role_groups, dispatch_uid="people.sync_role_groups")


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the category, department and supervisor fields."""

    default = False
    user_viewset = "people.admin_users.UserViewSet"
